const std = @import("std");

pub fn main() !void {
    const args = try std.process.argsAlloc(std.heap.page_allocator);
    var f = try std.fs.cwd().createFile(args[1], .{});
    defer f.close();
    try f.writer().writeAll("pub const squares = [_]u32{");
    for (0..16) |i| try f.writer().print(" {d},", .{i * i});
    try f.writer().writeAll(" };\n");
}
