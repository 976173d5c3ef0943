const std = @import("std");

// A library, an executable that uses it, and unit tests for both. Needs nothing beyond its own files.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const lib = b.addStaticLibrary(.{
        .name = "greet",
        .root_source_file = b.path("src/greet.zig"),
        .target = target,
        .optimize = optimize,
    });
    b.installArtifact(lib);
    const greet = b.createModule(.{ .root_source_file = b.path("src/greet.zig") });

    const exe = b.addExecutable(.{
        .name = "hello",
        .root_source_file = b.path("src/main.zig"),
        .target = target,
        .optimize = optimize,
    });
    exe.root_module.addImport("greet", greet);
    b.installArtifact(exe);

    const run_cmd = b.addRunArtifact(exe);
    run_cmd.step.dependOn(b.getInstallStep());
    if (b.args) |args| run_cmd.addArgs(args);
    b.step("run", "Run the app").dependOn(&run_cmd.step);

    const lib_tests = b.addTest(.{ .root_source_file = b.path("src/greet.zig"), .target = target, .optimize = optimize });
    const exe_tests = b.addTest(.{ .root_source_file = b.path("src/main.zig"), .target = target, .optimize = optimize });
    exe_tests.root_module.addImport("greet", greet);
    const test_step = b.step("test", "Run unit tests");
    test_step.dependOn(&b.addRunArtifact(lib_tests).step);
    test_step.dependOn(&b.addRunArtifact(exe_tests).step);
}
