const std = @import("std");
const alpha = @import("alpha");

pub fn main() !void {
    try std.io.getStdOut().writer().print("{s}\n", .{alpha.banner});
}
