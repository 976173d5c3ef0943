const std = @import("std");
const assets = @import("assets");

pub fn main() !void {
    try std.io.getStdOut().writer().print("logo {d} bytes, splash {d} bytes\n", .{ assets.logo.len, assets.splash.len });
}
