const std = @import("std");
const build_options = @import("build_options");

pub fn main() !void {
    try std.io.getStdOut().writer().print("blocks: backend {s}, hd assets {}\n", .{ @tagName(build_options.backend), build_options.hd_assets });
}
