const std = @import("std");

// An app built on two vendored dependencies (see build.zig.zon): `alpha` provides a library and a
// code-generation step; `beta` ships data files and a custom step that checks them.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const alpha = b.dependency("alpha", .{ .target = target, .optimize = optimize });
    const beta = b.dependency("beta", .{});

    const exe = b.addExecutable(.{ .name = "app", .root_source_file = b.path("src/main.zig"), .target = target, .optimize = optimize });
    exe.root_module.addImport("alpha", alpha.module("alpha"));
    exe.linkLibrary(alpha.artifact("alpha-c"));
    b.installArtifact(exe);

    // Ship beta's data, after its own check.
    const data = b.addInstallDirectory(.{ .source_dir = beta.path("data"), .install_dir = .prefix, .install_subdir = "share/app" });
    data.step.dependOn(beta.builder.getInstallStep());
    b.getInstallStep().dependOn(&data.step);

    const run = b.addRunArtifact(exe);
    b.step("run", "Run the app").dependOn(&run.step);
}
