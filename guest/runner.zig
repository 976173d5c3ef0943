//! sandbuild graph runner: the root module of build.wasm.
//!
//! It does what Zig's own `lib/compiler/build_runner.zig` does up to the end of the configure phase
//! (create a `std.Build` from a `std.Build.Graph`, apply `-D` options, call the package's `build(b)`),
//! then prints the resulting step graph as one JSON document on stdout instead of making any step.
//!
//! usage: runner [--host TRIPLE] [--make STEP] [-Dname=value | -Dflag | -fsys=NAME | -fno-sys=NAME | --release[=MODE]]... [-- ARGS]
//!
//! `--host` defaults to x86_64-linux-gnu. It is resolved from an explicit query, never detected, so the
//! wasm build and a native build print the same graph (detection would see wasm32-wasi, or the CPU
//! model of whichever machine ran it).
//!
//! `--make STEP` (a step name or graph id; custom steps only) then makes that one step after the graph is
//! printed, bracketed by marker lines on stderr (guest/make.zig). Without it nothing is made.

const std = @import("std");
const builtin = @import("builtin");
const emit = @import("emit.zig");
const make = @import("make.zig");

// Zig's std.Build reaches these through `@import("root")`: `dependencies` for b.dependency().
pub const root = @import("@build");
pub const dependencies = @import("@dependencies");

pub const std_options: std.Options = .{
    .side_channels_mitigations = .none,
    .http_disable_tls = true,
    .crypto_fork_safety = false,
};

const default_host = "x86_64-linux-gnu";

pub fn main() !void {
    var arena_state = std.heap.ArenaAllocator.init(std.heap.page_allocator);
    defer arena_state.deinit();
    const arena = arena_state.allocator();

    const args = try std.process.argsAlloc(arena);

    // First pass: only `--host`, because the Graph needs it before any -D option is applied.
    var host_triple: []const u8 = default_host;
    {
        var i: usize = 1;
        while (i < args.len) : (i += 1) {
            if (std.mem.eql(u8, args[i], "--")) break;
            if (std.mem.eql(u8, args[i], "--host")) {
                i += 1;
                if (i >= args.len) fatal("expected a target triple after '--host'", .{});
                host_triple = args[i];
            }
        }
    }
    const host_query = std.Target.Query.parse(.{ .arch_os_abi = host_triple }) catch |err|
        fatal("bad --host '{s}': {s}", .{ host_triple, @errorName(err) });
    const host_result = std.zig.system.resolveTargetQuery(host_query) catch |err|
        fatal("cannot resolve --host '{s}': {s}", .{ host_triple, @errorName(err) });
    // Inside the sandbox, queries that leave the OS or architecture open must mean this host's (the
    // patched std/zig/system.zig reads these; see src/zig/patch-lib.ts). Natively std already does that.
    if (builtin.os.tag == .wasi) {
        std.zig.system.sandbuild_host_os = host_result.os.tag;
        std.zig.system.sandbuild_host_arch = host_result.cpu.arch;
    }

    // The build root is the current directory (the package root, preopened as "." under WASI). With a
    // null path, every path std.Build derives from it stays relative, so wasm and native agree.
    const cwd = std.fs.cwd();
    const build_root: std.Build.Cache.Directory = .{ .path = null, .handle = cwd };
    // Configure never touches the caches; pointing them at the build root avoids creating
    // `.zig-cache/` (a write the sandbox would have to allow for no reason).
    const cache_root: std.Build.Cache.Directory = .{ .path = ".zig-cache", .handle = cwd };

    var graph: std.Build.Graph = .{
        .arena = arena,
        .cache = .{ .gpa = arena, .manifest_dir = cwd },
        .zig_exe = "zig",
        .env_map = try std.process.getEnvMap(arena),
        .global_cache_root = cache_root,
        .zig_lib_directory = .{ .path = "zig-lib", .handle = cwd },
        // `.query = .{}` marks it as the native target, exactly as the real runner does, so
        // `b.standardTargetOptions(.{})` with no -Dtarget resolves to this host.
        .host = .{ .query = .{}, .result = host_result },
    };

    // As the real runner does: digests (e.g. each dependency's install prefix) then match `zig build`.
    graph.cache.hash.addBytes(builtin.zig_version_string);

    const b = try std.Build.create(&graph, build_root, cache_root, dependencies.root_deps);

    var make_spec: ?[]const u8 = null;
    var i: usize = 1;
    while (i < args.len) : (i += 1) {
        const arg = args[i];
        if (std.mem.eql(u8, arg, "--host")) {
            i += 1;
        } else if (std.mem.eql(u8, arg, "--make")) {
            i += 1;
            if (i >= args.len) fatal("expected a step name or id after '--make'", .{});
            make_spec = args[i];
        } else if (std.mem.startsWith(u8, arg, "-D")) {
            const contents = arg[2..];
            if (contents.len == 0) fatal("expected option name after '-D'", .{});
            const bad = if (std.mem.indexOfScalar(u8, contents, '=')) |eq|
                try b.addUserInputOption(contents[0..eq], contents[eq + 1 ..])
            else
                try b.addUserInputFlag(contents);
            if (bad) fatal("invalid option '{s}'", .{arg});
        } else if (std.mem.startsWith(u8, arg, "-fsys=")) {
            try graph.system_library_options.put(arena, arg["-fsys=".len..], .user_enabled);
        } else if (std.mem.startsWith(u8, arg, "-fno-sys=")) {
            try graph.system_library_options.put(arena, arg["-fno-sys=".len..], .user_disabled);
        } else if (std.mem.eql(u8, arg, "--release")) {
            b.release_mode = .any;
        } else if (std.mem.startsWith(u8, arg, "--release=")) {
            const text = arg["--release=".len..];
            b.release_mode = std.meta.stringToEnum(std.Build.ReleaseMode, text) orelse
                fatal("expected [off|any|fast|safe|small] in '{s}'", .{arg});
        } else if (std.mem.eql(u8, arg, "--")) {
            b.args = args[i + 1 ..];
            break;
        } else {
            fatal("unrecognized argument: '{s}'", .{arg});
        }
    }

    b.resolveInstallPrefix(null, .{});
    try b.runBuild(root);

    // Same checks, in the same order, as the real runner after configure.
    if (b.validateUserInputDidItFail()) fatal("invalid build options (see above)", .{});

    var ids = try emit.collectIds(arena, b);
    // Resolved before printing, so a bad --make is an error with nothing on stdout.
    const make_target: ?make.Target = if (make_spec) |spec| make.resolve(&ids, spec) else null;

    var out = std.io.bufferedWriter(std.io.getStdOut().writer());
    try emit.writeGraph(arena, b, &graph, &ids, host_triple, out.writer());
    try out.writer().writeByte('\n');
    try out.flush();

    // After the graph, so making cannot change what it shows; the outcome is on stderr (exit stays 0).
    if (make_target) |t| make.run(arena, t);
}

fn fatal(comptime format: []const u8, args: anytype) noreturn {
    std.debug.print("sandbuild runner: " ++ format ++ "\n", args);
    std.process.exit(1);
}
