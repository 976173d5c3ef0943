//! ppm2rle IN.ppm OUT.rle: a plain-text PPM (P3) to run-length-encoded RGB triples.
const std = @import("std");

pub fn main() !void {
    var arena = std.heap.ArenaAllocator.init(std.heap.page_allocator);
    const a = arena.allocator();
    const args = try std.process.argsAlloc(a);
    if (args.len != 3) return error.Usage;
    const text = try std.fs.cwd().readFileAlloc(a, args[1], 16 << 20);
    var tok = std.mem.tokenizeAny(u8, text, " \t\r\n");
    if (!std.mem.eql(u8, tok.next() orelse "", "P3")) return error.NotPlainPpm;
    const w = try std.fmt.parseInt(u32, tok.next() orelse return error.Truncated, 10);
    const h = try std.fmt.parseInt(u32, tok.next() orelse return error.Truncated, 10);
    _ = tok.next(); // max value
    var out = std.ArrayList(u8).init(a);
    var prev: ?[3]u8 = null;
    var run: u8 = 0;
    for (0..w * h) |_| {
        var px: [3]u8 = undefined;
        for (&px) |*c| c.* = try std.fmt.parseInt(u8, tok.next() orelse return error.Truncated, 10);
        if (prev != null and std.mem.eql(u8, &prev.?, &px) and run < 255) {
            run += 1;
            continue;
        }
        if (prev) |p| try out.appendSlice(&[_]u8{ run, p[0], p[1], p[2] });
        prev = px;
        run = 1;
    }
    if (prev) |p| try out.appendSlice(&[_]u8{ run, p[0], p[1], p[2] });
    try std.fs.cwd().writeFile(.{ .sub_path = args[2], .data = out.items });
}
