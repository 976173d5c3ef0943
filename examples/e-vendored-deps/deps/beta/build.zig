const std = @import("std");

// beta: data files plus a custom step, hooked to beta's own install step, that checks them.
pub fn build(b: *std.Build) void {
    const check = b.allocator.create(std.Build.Step) catch @panic("OOM");
    check.* = std.Build.Step.init(.{ .id = .custom, .name = "beta: check data", .owner = b, .makeFn = checkData });
    b.getInstallStep().dependOn(check);
    b.installFile("data/words.txt", "share/beta/words.txt");
}

fn checkData(step: *std.Build.Step, options: std.Build.Step.MakeOptions) anyerror!void {
    _ = options;
    const text = try step.owner.build_root.handle.readFileAlloc(step.owner.allocator, "data/words.txt", 1 << 16);
    if (text.len == 0) return step.fail("data/words.txt is empty", .{});
}
