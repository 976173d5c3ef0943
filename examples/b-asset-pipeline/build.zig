const std = @import("std");

// An asset pipeline: a custom step validates the icon sources (a TinyVG-like text format) before
// anything is built, and a converter tool built from this package turns each PPM image into a
// run-length-encoded blob that the app embeds.
pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});

    const validate = ValidateIcons.create(b, b.path("assets"));
    b.step("validate", "Check every assets/*.tvgt icon").dependOn(&validate.step);

    const converter = b.addExecutable(.{
        .name = "ppm2rle",
        .root_source_file = b.path("tools/ppm2rle.zig"),
        .target = b.graph.host,
        .optimize = .ReleaseSafe,
    });

    const app = b.addExecutable(.{
        .name = "viewer",
        .root_source_file = b.path("src/main.zig"),
        .target = target,
        .optimize = optimize,
    });
    // The converted blobs and a generated `assets.zig` that embeds them go into one directory.
    const gen = b.addWriteFiles();
    for ([_][]const u8{ "logo", "splash" }) |name| {
        const convert = b.addRunArtifact(converter);
        convert.addFileArg(b.path(b.fmt("assets/{s}.ppm", .{name})));
        const blob = convert.addOutputFileArg(b.fmt("{s}.rle", .{name}));
        convert.step.dependOn(&validate.step);
        _ = gen.addCopyFile(blob, b.fmt("{s}.rle", .{name}));
    }
    const assets_zig = gen.add("assets.zig",
        \\pub const logo = @embedFile("logo.rle");
        \\pub const splash = @embedFile("splash.rle");
        \\
    );
    app.root_module.addAnonymousImport("assets", .{ .root_source_file = assets_zig });
    b.installArtifact(app);
}

/// Reads every `.tvgt` file under `dir` and fails the build on the first malformed one.
const ValidateIcons = struct {
    step: std.Build.Step,
    dir: std.Build.LazyPath,

    fn create(b: *std.Build, dir: std.Build.LazyPath) *ValidateIcons {
        const self = b.allocator.create(ValidateIcons) catch @panic("OOM");
        self.* = .{
            .step = std.Build.Step.init(.{ .id = .custom, .name = "validate icons", .owner = b, .makeFn = make }),
            .dir = dir,
        };
        return self;
    }

    fn make(step: *std.Build.Step, options: std.Build.Step.MakeOptions) anyerror!void {
        _ = options;
        const self: *ValidateIcons = @fieldParentPtr("step", step);
        const b = step.owner;
        var dir = try std.fs.cwd().openDir(self.dir.getPath2(b, step), .{ .iterate = true });
        defer dir.close();
        var it = dir.iterate();
        while (try it.next()) |entry| {
            if (!std.mem.endsWith(u8, entry.name, ".tvgt")) continue;
            const text = try dir.readFileAlloc(b.allocator, entry.name, 1 << 20);
            if (!std.mem.startsWith(u8, text, "(tvg 1 ")) return step.fail("{s}: not a TinyVG text file", .{entry.name});
        }
    }
};
