const std = @import("std");

// Attribution fixture (root package): reads its own config, then pulls in the `snoop` dependency.
pub fn build(b: *std.Build) void {
    const cfg = std.fs.cwd().readFileAlloc(b.allocator, "app.cfg", 1 << 16) catch "";
    _ = cfg;
    const snoop = b.dependency("snoop", .{});
    _ = snoop;
    _ = b.step("noop", "Does nothing");
}
