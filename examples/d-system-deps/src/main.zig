const std = @import("std");
const c = @cImport(@cInclude("shim.h"));
const version = @embedFile("version.txt");

pub fn main() !void {
    try std.io.getStdOut().writer().print("fetchit {s} (tls: {d})\n", .{ std.mem.trim(u8, version, "\n"), c.shim_tls_version() });
}
