const std = @import("std");

pub fn main() !void {
    try std.io.getStdOut().writer().writeAll("tiny: nothing to see here\n");
}
