//! Graph → JSON. The document layout is described (and validated on the host) by src/graph/schema.ts;
//! bump `format_version` there and here together.
//!
//! Determinism rules, so that a wasm32 run and a native run print byte-identical JSON:
//! - step ids are the preorder index of a depth-first walk from the top-level steps, in declaration order;
//! - nothing is printed from a hash map's iteration order (it depends on usize width); such maps are sorted;
//! - no pointers, addresses or absolute paths of our own making are printed.

const std = @import("std");
const builtin = @import("builtin");
const Build = std.Build;
const Step = Build.Step;
const LazyPath = Build.LazyPath;
const Allocator = std.mem.Allocator;
const caps = @import("caps.zig");
const Symbols = @import("symbols.zig").Symbols;

pub const format_version = 1;

pub const Ids = std.AutoArrayHashMapUnmanaged(*const Step, u32);

/// Depth-first preorder from each top-level step; the insertion order of `ids` is the id.
fn collect(arena: Allocator, ids: *Ids, step: *Step) Allocator.Error!void {
    const gop = try ids.getOrPut(arena, step);
    if (gop.found_existing) return;
    gop.value_ptr.* = @intCast(ids.count() - 1);
    for (step.dependencies.items) |dep| try collect(arena, ids, dep);
}

/// Every step reachable from the top-level steps, keyed to its id (guest/make.zig resolves --make here).
pub fn collectIds(arena: Allocator, b: *Build) Allocator.Error!Ids {
    var ids: Ids = .empty;
    for (b.top_level_steps.values()) |tls| try collect(arena, &ids, &tls.step);
    return ids;
}

pub fn writeGraph(arena: Allocator, b: *Build, graph: *Build.Graph, ids: *Ids, host: []const u8, out: anytype) !void {

    var w = std.json.writeStream(out, .{ .whitespace = .indent_1 });
    try w.beginObject();
    try w.objectField("version");
    try w.write(format_version);
    try w.objectField("zig_version");
    try w.write(builtin.zig_version_string);
    try w.objectField("host");
    try w.write(host);
    try w.objectField("install_prefix");
    try w.write(b.install_path);
    try w.objectField("default_step");
    try w.write(ids.get(b.default_step));

    try w.objectField("options");
    try writeOptions(b, &w);

    try w.objectField("top_level_steps");
    try w.beginArray();
    for (b.top_level_steps.values()) |tls| {
        try w.beginObject();
        try w.objectField("name");
        try w.write(tls.step.name);
        try w.objectField("description");
        try w.write(tls.description);
        try w.objectField("step");
        try w.write(ids.get(&tls.step).?);
        try w.endObject();
    }
    try w.endArray();

    // Lazy dependencies the script asked for but which were not provided: the real runner would stop
    // here and fetch them (network); the graph below is what the script built without them.
    try w.objectField("missing_lazy_dependencies");
    try w.beginArray();
    for (graph.needed_lazy_dependencies.keys()) |hash| try w.write(hash);
    try w.endArray();

    var symbols: Symbols = .{ .arena = arena };
    const ctx: Ctx = .{ .arena = arena, .b = b, .graph = graph, .ids = ids, .symbols = &symbols };
    try w.objectField("steps");
    try w.beginArray();
    for (ids.keys()) |step| try ctx.writeStep(@constCast(step), &w);
    try w.endArray();
    try w.endObject();
}

fn writeOptions(b: *Build, w: anytype) !void {
    try w.beginArray();
    for (b.available_options_list.items) |opt| {
        try w.beginObject();
        try w.objectField("name");
        try w.write(opt.name);
        try w.objectField("type");
        try w.write(@tagName(opt.type_id));
        try w.objectField("description");
        try w.write(opt.description);
        if (opt.enum_options) |choices| {
            try w.objectField("choices");
            try w.write(choices);
        }
        // The value the user passed with -D, or null when the script's default applies (the default
        // itself lives in build.zig's code and is not observable from here).
        try w.objectField("value");
        if (b.user_input_options.get(opt.name)) |input| {
            switch (input.value) {
                .flag => try w.write(true),
                .scalar => |s| try w.write(s),
                .list => |l| try w.write(l.items),
                .map => try w.write("(map)"),
                .lazy_path => |p| try w.write(renderPathTop(b, p)),
                .lazy_path_list => |l| {
                    try w.beginArray();
                    for (l.items) |p| try w.write(renderPathTop(b, p));
                    try w.endArray();
                },
            }
        } else try w.write(null);
        try w.endObject();
    }
    try w.endArray();
}

fn renderPathTop(b: *Build, p: LazyPath) []const u8 {
    return switch (p) {
        .src_path => |s| s.owner.pathFromRoot(s.sub_path),
        .cwd_relative => |s| s,
        .dependency => |d| d.dependency.builder.pathFromRoot(d.sub_path),
        .generated => |g| b.fmt("(generated by {s})", .{g.file.step.name}),
    };
}

pub const Ctx = struct {
    arena: Allocator,
    b: *Build,
    graph: *Build.Graph,
    ids: *Ids,
    symbols: *Symbols,

    pub fn idOf(ctx: Ctx, step: *const Step) ?u32 {
        return ctx.ids.get(step);
    }

    /// A path as it reads from the package root. Generated paths name the step that makes them.
    pub fn writePath(ctx: Ctx, w: anytype, p: LazyPath) !void {
        try w.beginObject();
        switch (p) {
            .src_path => |s| {
                try w.objectField("src");
                try w.write(s.owner.pathFromRoot(s.sub_path));
            },
            .cwd_relative => |s| {
                try w.objectField("host");
                try w.write(s);
            },
            .dependency => |d| {
                try w.objectField("src");
                try w.write(d.dependency.builder.pathFromRoot(d.sub_path));
            },
            .generated => |g| {
                try w.objectField("generated_by");
                try w.write(ctx.idOf(g.file.step));
                try w.objectField("up");
                try w.write(g.up);
                try w.objectField("sub_path");
                try w.write(g.sub_path);
            },
        }
        try w.endObject();
    }

    fn writeStep(ctx: Ctx, step: *Step, w: anytype) !void {
        try w.beginObject();
        try w.objectField("id");
        try w.write(ctx.idOf(step).?);
        try w.objectField("name");
        try w.write(step.name);
        try w.objectField("kind");
        try w.write(@tagName(step.id));
        // Which package's build.zig made this step: "" for the root package, else the dependency path
        // ("dep_name." prefixes, as Zig spells them).
        try w.objectField("package");
        try w.write(std.mem.trimRight(u8, step.owner.dep_prefix, "."));
        try w.objectField("deps");
        try w.beginArray();
        for (step.dependencies.items) |dep| try w.write(ctx.idOf(dep).?);
        try w.endArray();
        try w.objectField("data");
        try @import("step-data.zig").write(ctx, step, w);
        try w.objectField("caps");
        try caps.write(ctx, step, w);
        try w.endObject();
    }
};

/// Environment variables a run step sets or removes relative to the build's own environment,
/// sorted by name (EnvMap is a hash map; its order differs between wasm32 and x86_64).
pub const EnvChange = struct { name: []const u8, value: ?[]const u8 };

pub fn envChanges(arena: Allocator, base: *const std.process.EnvMap, run_env: *const std.process.EnvMap) ![]EnvChange {
    var list: std.ArrayListUnmanaged(EnvChange) = .empty;
    var it = run_env.iterator();
    while (it.next()) |e| {
        const old = base.get(e.key_ptr.*);
        if (old == null or !std.mem.eql(u8, old.?, e.value_ptr.*))
            try list.append(arena, .{ .name = e.key_ptr.*, .value = e.value_ptr.* });
    }
    var it2 = base.iterator();
    while (it2.next()) |e| {
        if (run_env.get(e.key_ptr.*) == null) try list.append(arena, .{ .name = e.key_ptr.*, .value = null });
    }
    std.mem.sort(EnvChange, list.items, {}, struct {
        fn lt(_: void, a: EnvChange, c: EnvChange) bool {
            return std.mem.lessThan(u8, a.name, c.name);
        }
    }.lt);
    return list.items;
}
