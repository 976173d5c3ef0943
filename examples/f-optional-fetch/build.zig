const std = @import("std");

// A game whose graph depends on options. By default it builds from the assets in the package;
// `-Dfetch-assets=true` adds a step that downloads the HD texture pack over the network, and
// `-Dbackend=vulkan` links a system library instead of the software renderer.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const fetch_assets = b.option(bool, "fetch-assets", "Download the HD texture pack (needs network)") orelse false;
    const backend = b.option(Backend, "backend", "Renderer backend") orelse .software;
    const pack_url = b.option([]const u8, "pack-url", "Where to download the texture pack from") orelse
        "https://cdn.example.org/blocks/hd-pack-v3.tar.gz";

    const options = b.addOptions();
    options.addOption(bool, "hd_assets", fetch_assets);
    options.addOption(Backend, "backend", backend);

    const exe = b.addExecutable(.{ .name = "blocks", .root_source_file = b.path("src/main.zig"), .target = target, .optimize = optimize });
    exe.root_module.addOptions("build_options", options);
    switch (backend) {
        .software => {},
        .vulkan => exe.linkSystemLibrary("vulkan"),
    }
    b.installArtifact(exe);
    b.installDirectory(.{ .source_dir = b.path("assets"), .install_dir = .prefix, .install_subdir = "share/blocks" });

    if (fetch_assets) {
        const fetch = b.addSystemCommand(&.{ "curl", "-fsSL", "-o" });
        const pack = fetch.addOutputFileArg("hd-pack.tar.gz");
        fetch.addArg(pack_url);
        const unpack = b.addSystemCommand(&.{ "tar", "-xzf" });
        unpack.addFileArg(pack);
        unpack.addArg("-C");
        const out_dir = unpack.addOutputDirectoryArg("hd");
        b.getInstallStep().dependOn(&b.addInstallDirectory(.{ .source_dir = out_dir, .install_dir = .prefix, .install_subdir = "share/blocks/hd" }).step);
    }
}

const Backend = enum { software, vulkan };
