const std = @import("std");

// alpha: a Zig module, a small C library, and a table generated at build time by a host tool.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const gen = b.addExecutable(.{ .name = "gen-table", .root_source_file = b.path("src/gen.zig"), .target = b.graph.host });
    const run_gen = b.addRunArtifact(gen);
    const table = run_gen.addOutputFileArg("table.zig");

    const mod = b.addModule("alpha", .{ .root_source_file = b.path("src/alpha.zig"), .target = target, .optimize = optimize });
    mod.addAnonymousImport("table", .{ .root_source_file = table });

    const lib = b.addStaticLibrary(.{ .name = "alpha-c", .target = target, .optimize = optimize });
    lib.addCSourceFile(.{ .file = b.path("src/checksum.c"), .flags = &.{"-std=c99"} });
    lib.linkLibC();
    b.installArtifact(lib);
}
