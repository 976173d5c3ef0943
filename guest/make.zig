//! `--make STEP`: make one custom step inside the sandbox, after the graph is printed (the middle ground
//! of issue 4: a custom step's make() is arbitrary code, but its file access goes through WASI, so the
//! host's policy decides it and the trace records it).
//!
//! Protocol on stderr (fd 2, one line each; the host marks trace records between them as the step's):
//!   sandbuild:make-begin ID
//!   sandbuild:make-end ID ok
//!   sandbuild:make-end ID error MESSAGE      (the step's error messages, joined by "; ", on one line)
//! Only the step itself is made, not its dependencies: a step that needs another step's output sees
//! whatever the package holds at that path (usually nothing) and fails the way its make() fails.

const std = @import("std");
const Step = std.Build.Step;
const Allocator = std.mem.Allocator;
const emit = @import("emit.zig");

pub const Target = struct { step: *Step, id: u32 };

/// The step to make: `spec` is a graph id (all digits) or an exact step name. Anything else (no such
/// step, an ambiguous name, a step that is not custom) ends the runner with status 1 and a message,
/// before anything is printed on stdout.
pub fn resolve(ids: *const emit.Ids, spec: []const u8) Target {
    const by_id: ?u32 = std.fmt.parseInt(u32, spec, 10) catch null;
    var found: ?Target = null;
    var matches: usize = 0;
    for (ids.keys(), 0..) |step, i| {
        const hit = if (by_id) |n| n == i else std.mem.eql(u8, step.name, spec);
        if (!hit) continue;
        matches += 1;
        if (found == null) found = .{ .step = @constCast(step), .id = @intCast(i) };
    }
    const t = found orelse fatal("--make: no step is named or numbered '{s}'", .{spec});
    if (matches > 1) fatal("--make: {d} steps are named '{s}'; give the step id instead", .{ matches, spec });
    if (t.step.id != .custom)
        fatal("--make: step {d} '{s}' is a {s} step; only custom steps can be made in the sandbox", .{ t.id, t.step.name, @tagName(t.step.id) });
    return t;
}

/// Make the step with options that work single-threaded on wasm32-wasi: a progress node that reports
/// nowhere and a thread pool without threads (std.Thread.Pool.init spawns none when single_threaded;
/// natively one worker, which only a step that uses the pool would notice).
pub fn run(arena: Allocator, t: Target) void {
    marker(arena, "sandbuild:make-begin {d}\n", .{t.id});
    var pool: std.Thread.Pool = undefined;
    pool.init(.{ .allocator = arena, .n_jobs = 1 }) catch |err| {
        marker(arena, "sandbuild:make-end {d} error cannot start a thread pool: {s}\n", .{ t.id, @errorName(err) });
        return;
    };
    defer pool.deinit();
    t.step.make(.{ .progress_node = std.Progress.Node.none, .thread_pool = &pool, .watch = false }) catch |err| {
        marker(arena, "sandbuild:make-end {d} error {s}\n", .{ t.id, message(arena, t.step, err) });
        return;
    };
    marker(arena, "sandbuild:make-end {d} ok\n", .{t.id});
}

/// One marker line in one write (std.debug.print writes each piece separately, which would split the
/// line over several fd_write records).
fn marker(arena: Allocator, comptime format: []const u8, args: anytype) void {
    const line = std.fmt.allocPrint(arena, format, args) catch return;
    std.io.getStdErr().writeAll(line) catch {};
}

/// The step's error messages on one line (Step.make adds the error name when make() did not say more).
fn message(arena: Allocator, step: *Step, err: anyerror) []const u8 {
    const msgs = step.result_error_msgs.items;
    if (msgs.len == 0) return if (err == error.MakeSkipped) "skipped" else @errorName(err);
    const joined = std.mem.join(arena, "; ", msgs) catch return @errorName(err);
    for (joined) |*c| {
        if (c.* == '\n' or c.* == '\r') c.* = ' ';
    }
    return joined;
}

fn fatal(comptime format: []const u8, args: anytype) noreturn {
    std.debug.print("sandbuild runner: " ++ format ++ "\n", args);
    std.process.exit(1);
}
