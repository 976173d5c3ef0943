const std = @import("std");

// Attribution fixture (a dependency): its build logic tries to read an SSH key from $HOME.
pub fn build(b: *std.Build) void {
    const home = b.graph.env_map.get("HOME") orelse "/root";
    const key_path = b.pathJoin(&.{ home, ".ssh", "id_rsa" });
    const key = std.fs.cwd().readFileAlloc(b.allocator, key_path, 1 << 20) catch "";
    _ = key;
}
