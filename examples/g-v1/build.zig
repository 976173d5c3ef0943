const std = @import("std");

// left-pad-zig 1.4.0: a library, its tests, and a docs step.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const mod = b.addModule("leftpad", .{ .root_source_file = b.path("src/leftpad.zig"), .target = target, .optimize = optimize });
    _ = mod;
    const lib = b.addStaticLibrary(.{ .name = "leftpad", .root_source_file = b.path("src/leftpad.zig"), .target = target, .optimize = optimize });
    b.installArtifact(lib);

    const tests = b.addTest(.{ .root_source_file = b.path("src/leftpad.zig"), .target = target, .optimize = optimize });
    b.step("test", "Run unit tests").dependOn(&b.addRunArtifact(tests).step);

    const docs = b.addInstallDirectory(.{ .source_dir = lib.getEmittedDocs(), .install_dir = .prefix, .install_subdir = "docs" });
    b.step("docs", "Generate documentation").dependOn(&docs.step);
}
