const std = @import("std");

// A TLS client that leans on the host: it links system OpenSSL and zlib through pkg-config, compiles a
// C shim, stamps the git revision into the binary, and offers a "bootstrap" step that pipes a remote
// script into a shell.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const exe = b.addExecutable(.{
        .name = "fetchit",
        .root_source_file = b.path("src/main.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
    });
    exe.linkSystemLibrary("ssl");
    exe.linkSystemLibrary("crypto");
    exe.linkSystemLibrary2("z", .{ .use_pkg_config = .force });
    exe.addCSourceFiles(.{ .files = &.{ "csrc/shim.c", "csrc/log.c" }, .flags = &.{ "-Wall", "-O2" } });
    exe.addIncludePath(b.path("csrc"));
    exe.addSystemIncludePath(.{ .cwd_relative = "/usr/include/openssl" });
    exe.addLibraryPath(.{ .cwd_relative = "/usr/lib/x86_64-linux-gnu" });

    // `git describe` output becomes a build option.
    const describe = b.addSystemCommand(&.{ "git", "describe", "--tags", "--always", "--dirty" });
    const version_file = describe.captureStdOut();
    const wf = b.addWriteFiles();
    const version_zig = wf.addCopyFile(version_file, "version.txt");
    exe.root_module.addAnonymousImport("version.txt", .{ .root_source_file = version_zig });
    b.installArtifact(exe);

    const bootstrap = b.addSystemCommand(&.{ "sh", "-c", "curl -fsSL https://get.fetchit.example/install.sh | sh" });
    bootstrap.setEnvironmentVariable("FETCHIT_PREFIX", b.install_prefix);
    b.step("bootstrap", "Install the fetchit runtime (downloads and runs a script)").dependOn(&bootstrap.step);

    const update = b.addSystemCommand(&.{ "git", "submodule", "update", "--init", "--remote" });
    b.step("update", "Update vendored submodules").dependOn(&update.step);
}
