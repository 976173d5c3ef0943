//! Capability requests: for each step, what making it natively would need from the host beyond the
//! package's own files and the build caches. The host decides them with its policy; the guest only
//! reports. Kinds (kept in sync with src/graph/schema.ts):
//!   exec        run a program (`target` = argv[0]; `detail` = "system" | "artifact" | "path")
//!   net         reach the network (`target` = the URL found in argv)
//!   host-lib    link a library found on the host (`target` = library name)
//!   pkg-config  run pkg-config for a library (`target` = library name)
//!   host-path   read a path outside the package (`target` = the path)
//!   write       write outside the install prefix (`target` = the path; `detail` says why)
//!   custom-make run a custom step's make() (`target` = step name): arbitrary code

const std = @import("std");
const Build = std.Build;
const Step = Build.Step;
const LazyPath = Build.LazyPath;
const emit = @import("emit.zig");
const step_data = @import("step-data.zig");
const Ctx = emit.Ctx;

fn cap(w: anytype, kind: []const u8, target: []const u8, detail: ?[]const u8) !void {
    try w.beginObject();
    try w.objectField("kind");
    try w.write(kind);
    try w.objectField("target");
    try w.write(target);
    if (detail) |d| {
        try w.objectField("detail");
        try w.write(d);
    }
    try w.endObject();
}

/// A path leaves the package when it is absolute (host) or climbs above its package root.
fn hostPath(ctx: Ctx, p: LazyPath) ?[]const u8 {
    return switch (p) {
        .cwd_relative => |s| s,
        .src_path => |s| outside(ctx, s.owner.pathFromRoot(s.sub_path)),
        .dependency => |d| outside(ctx, d.dependency.builder.pathFromRoot(d.sub_path)),
        .generated => null,
    };
}

fn outside(ctx: Ctx, path: []const u8) ?[]const u8 {
    if (std.fs.path.isAbsolute(path)) return path;
    const resolved = std.fs.path.resolvePosix(ctx.arena, &.{path}) catch return path;
    if (std.mem.eql(u8, resolved, "..") or std.mem.startsWith(u8, resolved, "../")) return path;
    return null;
}

fn pathCap(ctx: Ctx, w: anytype, p: LazyPath) !void {
    if (hostPath(ctx, p)) |h| try cap(w, "host-path", h, null);
}

/// URLs in an argument: anything with a scheme (`https://`, `git+ssh://`) or scp-style `git@host:`.
fn urlIn(text: []const u8) ?[]const u8 {
    if (std.mem.indexOf(u8, text, "://")) |i| {
        var start = i;
        while (start > 0 and (std.ascii.isAlphanumeric(text[start - 1]) or text[start - 1] == '+' or text[start - 1] == '.' or text[start - 1] == '-')) start -= 1;
        var end = i + 3;
        while (end < text.len and !std.ascii.isWhitespace(text[end]) and text[end] != '\'' and text[end] != '"' and text[end] != '|' and text[end] != ';') end += 1;
        if (start < i) return text[start..end];
    }
    if (std.mem.indexOf(u8, text, "git@")) |i| {
        var end = i;
        while (end < text.len and !std.ascii.isWhitespace(text[end])) end += 1;
        return text[i..end];
    }
    return null;
}

/// Each package installs below its own prefix: the root's is zig-out, a dependency's is in the cache.
/// A path as text for a capability target: package-relative, host-absolute, or the step that makes it.
fn pathText(ctx: Ctx, p: LazyPath) []const u8 {
    return switch (p) {
        .src_path => |s| s.owner.pathFromRoot(s.sub_path),
        .cwd_relative => |s| s,
        .dependency => |d| d.dependency.builder.pathFromRoot(d.sub_path),
        .generated => |g| std.fmt.allocPrint(ctx.arena, "(made by step '{s}')", .{g.file.step.name}) catch "(generated)",
    };
}

fn installCap(ctx: Ctx, w: anytype, owner: *Build, dest: []const u8) !void {
    const prefix = std.fs.path.resolvePosix(ctx.arena, &.{owner.install_path}) catch return;
    const full = std.fs.path.resolvePosix(ctx.arena, &.{dest}) catch return;
    const inside = std.mem.eql(u8, full, prefix) or
        (std.mem.startsWith(u8, full, prefix) and full.len > prefix.len and full[prefix.len] == '/');
    if (!inside) try cap(w, "write", dest, "install outside the prefix");
}

pub fn write(ctx: Ctx, step: *Step, w: anytype) !void {
    try w.beginArray();
    switch (step.id) {
        .run => {
            const run = step.cast(Step.Run).?;
            if (run.argv.items.len > 0) switch (run.argv.items[0]) {
                .bytes => |s| try cap(w, "exec", s, "system"),
                .artifact => |a| try cap(w, "exec", a.artifact.name, "artifact"),
                .lazy_path, .directory_source => |p| try cap(w, "exec", pathText(ctx, p.lazy_path), "path"),
                .output_file, .output_directory => |o| try cap(w, "exec", o.basename, "path"),
            };
            for (run.argv.items) |arg| switch (arg) {
                .bytes => |s| if (urlIn(s)) |url| try cap(w, "net", url, null),
                .lazy_path, .directory_source => |p| try pathCap(ctx, w, p.lazy_path),
                else => {},
            };
            if (run.cwd) |cwd| if (hostPath(ctx, cwd)) |h| try cap(w, "host-path", h, "working directory");
        },
        .compile => {
            const c = step.cast(Step.Compile).?;
            var mods: std.AutoArrayHashMapUnmanaged(*Build.Module, void) = .empty;
            try step_data.collectModules(ctx.arena, &mods, &c.root_module);
            for (mods.keys()) |mod| {
                for (mod.link_objects.items) |lo| switch (lo) {
                    .system_lib => |sl| {
                        try cap(w, "host-lib", sl.name, null);
                        if (sl.use_pkg_config != .no) try cap(w, "pkg-config", sl.name, @tagName(sl.use_pkg_config));
                    },
                    .static_path, .assembly_file => |p| try pathCap(ctx, w, p),
                    .c_source_file => |f| try pathCap(ctx, w, f.file),
                    .c_source_files => |fs| try pathCap(ctx, w, fs.root),
                    else => {},
                };
                for (mod.include_dirs.items) |inc| switch (inc) {
                    .path, .path_system, .path_after, .framework_path, .framework_path_system => |p| try pathCap(ctx, w, p),
                    else => {},
                };
                for (mod.lib_paths.items) |p| try pathCap(ctx, w, p);
                if (mod.root_source_file) |p| try pathCap(ctx, w, p);
            }
        },
        .install_artifact => {
            const s = step.cast(Step.InstallArtifact).?;
            if (s.dest_dir) |dir| try installCap(ctx, w, step.owner, step.owner.getInstallPath(dir, s.dest_sub_path));
        },
        .install_file => {
            const s = step.cast(Step.InstallFile).?;
            try pathCap(ctx, w, s.source);
            try installCap(ctx, w, step.owner, step.owner.getInstallPath(s.dir, s.dest_rel_path));
        },
        .install_dir => {
            const s = step.cast(Step.InstallDir).?;
            try pathCap(ctx, w, s.options.source_dir);
            try installCap(ctx, w, step.owner, step.owner.getInstallPath(s.options.install_dir, s.options.install_subdir));
        },
        .write_file => {
            const s = step.cast(Step.WriteFile).?;
            for (s.files.items) |f| switch (f.contents) {
                .copy => |p| try pathCap(ctx, w, p),
                .bytes => {},
            };
            for (s.directories.items) |d| try pathCap(ctx, w, d.source);
        },
        .update_source_files => {
            const s = step.cast(Step.UpdateSourceFiles).?;
            for (s.output_source_files.items) |f|
                try cap(w, "write", step.owner.pathFromRoot(f.sub_path), "overwrites a source file");
        },
        .remove_dir => {
            const s = step.cast(Step.RemoveDir).?;
            const target = hostPath(ctx, s.doomed_path) orelse switch (s.doomed_path) {
                .src_path => |p| p.owner.pathFromRoot(p.sub_path),
                else => step.name,
            };
            try cap(w, "write", target, "deletes a directory tree");
        },
        .translate_c => try pathCap(ctx, w, step.cast(Step.TranslateC).?.source),
        .custom => try cap(w, "custom-make", step.name, null),
        else => {},
    }
    try w.endArray();
}
