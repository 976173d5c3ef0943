//! The kind-specific `data` object of each step: what an auditor needs to judge what making the step
//! would do. One branch per std.Build.Step.Id, mirroring lib/std/Build/Step/*.zig.

const std = @import("std");
const Build = std.Build;
const Step = Build.Step;
const Module = Build.Module;
const emit = @import("emit.zig");
const Ctx = emit.Ctx;

pub fn write(ctx: Ctx, step: *Step, w: anytype) !void {
    try w.beginObject();
    switch (step.id) {
        .top_level => {
            // Build.TopLevelStep is not pub; find it through its owner's table.
            for (step.owner.top_level_steps.values()) |tls| if (&tls.step == step) {
                try w.objectField("description");
                try w.write(tls.description);
            };
        },
        .run => try writeRun(ctx, step.cast(Step.Run).?, w),
        .compile => try writeCompile(ctx, step.cast(Step.Compile).?, w),
        .install_artifact => {
            const s = step.cast(Step.InstallArtifact).?;
            try w.objectField("artifact");
            try w.write(ctx.idOf(&s.artifact.step));
            try w.objectField("dest");
            if (s.dest_dir) |dir| try w.write(s.step.owner.getInstallPath(dir, s.dest_sub_path)) else try w.write(null);
        },
        .install_file => {
            const s = step.cast(Step.InstallFile).?;
            try w.objectField("source");
            try ctx.writePath(w, s.source);
            try w.objectField("dest");
            try w.write(s.step.owner.getInstallPath(s.dir, s.dest_rel_path));
        },
        .install_dir => {
            const s = step.cast(Step.InstallDir).?;
            try w.objectField("source");
            try ctx.writePath(w, s.options.source_dir);
            try w.objectField("dest");
            try w.write(s.step.owner.getInstallPath(s.options.install_dir, s.options.install_subdir));
        },
        .write_file => {
            const s = step.cast(Step.WriteFile).?;
            try w.objectField("files");
            try w.beginArray();
            for (s.files.items) |f| {
                try w.beginObject();
                try w.objectField("path");
                try w.write(f.sub_path);
                switch (f.contents) {
                    .bytes => |bytes| {
                        try w.objectField("size");
                        try w.write(bytes.len);
                    },
                    .copy => |src| {
                        try w.objectField("copy_of");
                        try ctx.writePath(w, src);
                    },
                }
                try w.endObject();
            }
            try w.endArray();
            try w.objectField("directories");
            try w.beginArray();
            for (s.directories.items) |d| {
                try w.beginObject();
                try w.objectField("path");
                try w.write(d.sub_path);
                try w.objectField("source");
                try ctx.writePath(w, d.source);
                try w.endObject();
            }
            try w.endArray();
        },
        .update_source_files => {
            const s = step.cast(Step.UpdateSourceFiles).?;
            try w.objectField("files");
            try w.beginArray();
            for (s.output_source_files.items) |f| try w.write(s.step.owner.pathFromRoot(f.sub_path));
            try w.endArray();
        },
        .options => {
            const s = step.cast(Step.Options).?;
            try w.objectField("names");
            try w.beginArray();
            try writeOptionNames(s.contents.items, w);
            for (s.args.items) |a| try w.write(a.name);
            try w.endArray();
        },
        .remove_dir => {
            const s = step.cast(Step.RemoveDir).?;
            try w.objectField("path");
            try ctx.writePath(w, s.doomed_path);
        },
        .fail => {
            const s = step.cast(Step.Fail).?;
            try w.objectField("message");
            try w.write(s.error_msg);
        },
        .translate_c => {
            const s = step.cast(Step.TranslateC).?;
            try w.objectField("source");
            try ctx.writePath(w, s.source);
        },
        .config_header => {
            const s = step.cast(Step.ConfigHeader).?;
            try w.objectField("include_path");
            try w.write(s.include_path);
            try w.objectField("values");
            try w.write(s.values.keys());
        },
        .check_file, .check_object, .fmt, .objcopy => {},
        // The concrete type of a custom step is not observable from its *Step; the symbol name of its
        // make function (e.g. `build.ValidateIcons.make`) names it. See symbols.zig.
        .custom => {
            try w.objectField("make_fn");
            try w.write(ctx.symbols.nameOf(@intFromPtr(step.makeFn)));
        },
    }
    try w.endObject();
}

/// Step.Options keeps only generated source text; each option is one `pub const NAME: T = ...;` line.
fn writeOptionNames(contents: []const u8, w: anytype) !void {
    var lines = std.mem.splitScalar(u8, contents, '\n');
    while (lines.next()) |line| {
        const prefix = "pub const ";
        if (!std.mem.startsWith(u8, line, prefix)) continue;
        const rest = line[prefix.len..];
        const end = std.mem.indexOfAny(u8, rest, ": =") orelse continue;
        try w.write(rest[0..end]);
    }
}

fn writeRun(ctx: Ctx, run: *Step.Run, w: anytype) !void {
    try w.objectField("command");
    if (run.argv.items.len == 0) try w.write("none") else switch (run.argv.items[0]) {
        .artifact => try w.write("artifact"),
        .bytes => try w.write("system"),
        else => try w.write("path"),
    }
    try w.objectField("argv");
    try w.beginArray();
    for (run.argv.items) |arg| {
        try w.beginObject();
        switch (arg) {
            .bytes => |s| {
                try w.objectField("text");
                try w.write(s);
            },
            .artifact => |a| {
                try w.objectField("prefix");
                try w.write(a.prefix);
                try w.objectField("artifact");
                try w.write(ctx.idOf(&a.artifact.step));
            },
            .lazy_path, .directory_source => |p| {
                try w.objectField("prefix");
                try w.write(p.prefix);
                try w.objectField(if (arg == .lazy_path) "path" else "dir");
                try ctx.writePath(w, p.lazy_path);
            },
            .output_file, .output_directory => |o| {
                try w.objectField("prefix");
                try w.write(o.prefix);
                try w.objectField(if (arg == .output_file) "output_file" else "output_dir");
                try w.write(o.basename);
            },
        }
        try w.endObject();
    }
    try w.endArray();
    try w.objectField("cwd");
    if (run.cwd) |cwd| try ctx.writePath(w, cwd) else try w.write(null);
    try w.objectField("env");
    try w.beginArray();
    if (run.env_map) |env| {
        for (try emit.envChanges(ctx.arena, &ctx.graph.env_map, env)) |c| {
            try w.beginObject();
            try w.objectField("name");
            try w.write(c.name);
            try w.objectField("value");
            try w.write(c.value);
            try w.endObject();
        }
    }
    try w.endArray();
    try w.objectField("stdio");
    try w.write(@tagName(run.stdio));
    try w.objectField("has_side_effects");
    try w.write(run.has_side_effects);
}

fn writeCompile(ctx: Ctx, c: *Step.Compile, w: anytype) !void {
    const m = &c.root_module;
    try w.objectField("name");
    try w.write(c.name);
    try w.objectField("compile_kind");
    try w.write(@tagName(c.kind));
    try w.objectField("root_source");
    if (m.root_source_file) |p| try ctx.writePath(w, p) else try w.write(null);
    try w.objectField("target");
    if (m.resolved_target) |t| {
        const r = t.result;
        try w.write(try std.fmt.allocPrint(ctx.arena, "{s}-{s}-{s}", .{ @tagName(r.cpu.arch), @tagName(r.os.tag), @tagName(r.abi) }));
        try w.objectField("target_query");
        try w.write(try t.query.zigTriple(ctx.arena));
        try w.objectField("cpu");
        try w.write(r.cpu.model.name);
    } else try w.write(null);
    try w.objectField("optimize");
    if (m.optimize) |o| try w.write(@tagName(o)) else try w.write(null);
    try w.objectField("linkage");
    if (c.linkage) |l| try w.write(@tagName(l)) else try w.write(null);

    // The root module and every module it imports contribute link objects and include dirs.
    var mods: std.AutoArrayHashMapUnmanaged(*Module, void) = .empty;
    try collectModules(ctx.arena, &mods, m);

    var link_libc = false;
    for (mods.keys()) |mod| link_libc = link_libc or (mod.link_libc orelse false);
    try w.objectField("link_libc");
    try w.write(link_libc);

    try w.objectField("system_libs");
    try w.beginArray();
    for (mods.keys()) |mod| for (mod.link_objects.items) |lo| switch (lo) {
        .system_lib => |sl| {
            try w.beginObject();
            try w.objectField("name");
            try w.write(sl.name);
            try w.objectField("pkg_config");
            try w.write(@tagName(sl.use_pkg_config));
            try w.endObject();
        },
        else => {},
    };
    try w.endArray();

    try w.objectField("c_sources");
    try w.beginArray();
    for (mods.keys()) |mod| for (mod.link_objects.items) |lo| switch (lo) {
        .c_source_file => |f| try ctx.writePath(w, f.file),
        .c_source_files => |fs| for (fs.files) |name| try ctx.writePath(w, fs.root.path(ctx.b, name)),
        .assembly_file => |p| try ctx.writePath(w, p),
        else => {},
    };
    try w.endArray();

    try w.objectField("include_dirs");
    try w.beginArray();
    for (mods.keys()) |mod| for (mod.include_dirs.items) |inc| switch (inc) {
        .path, .path_system, .path_after, .framework_path, .framework_path_system => |p| try ctx.writePath(w, p),
        .other_step => |s| try w.write(ctx.idOf(&s.step)),
        .config_header_step => |s| try w.write(ctx.idOf(&s.step)),
    };
    try w.endArray();

    try w.objectField("lib_paths");
    try w.beginArray();
    for (mods.keys()) |mod| for (mod.lib_paths.items) |p| try ctx.writePath(w, p);
    try w.endArray();

    try w.objectField("modules");
    try w.beginArray();
    for (mods.keys()[1..]) |mod| {
        if (mod.root_source_file) |p| try ctx.writePath(w, p) else try w.write(null);
    }
    try w.endArray();
}

pub fn collectModules(arena: std.mem.Allocator, mods: *std.AutoArrayHashMapUnmanaged(*Module, void), m: *Module) !void {
    const gop = try mods.getOrPut(arena, m);
    if (gop.found_existing) return;
    for (m.import_table.values()) |dep| try collectModules(arena, mods, dep);
}
