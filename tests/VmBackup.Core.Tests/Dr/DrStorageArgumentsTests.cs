using VmBackup.Core.Dr;

namespace VmBackup.Core.Tests.Dr;

public sealed class DrStorageArgumentsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dr-args-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void No_type_and_no_storage_option_means_the_SRs_are_already_attached()
        => DrStorageArguments.Parse(null, [], null, []).ShouldBeNull();

    [Fact]
    public void Pairs_and_a_file_make_the_device_config_and_the_file_keeps_the_secret_out_of_the_command_line()
    {
        var file = Path.Combine(_folder, "chap");
        File.WriteAllLines(file, ["# CHAP", "chapuser = admin", "chappassword=p=ss word", string.Empty]);

        var target = DrStorageArguments.Parse("lvmoiscsi", ["target=192.0.2.10", "targetIQN=iqn.x:y"], new FileInfo(file), ["5d0c7a1e-2b3f-4c8d-9e6a-1f2b3c4d5e6f"]).ShouldNotBeNull();

        target.Type.ShouldBe("lvmoiscsi");
        target.DeviceConfig.ShouldBe(new Dictionary<string, string>
        {
            ["target"] = "192.0.2.10",
            ["targetIQN"] = "iqn.x:y",
            ["chapuser"] = "admin",
            ["chappassword"] = "p=ss word",
        });
        target.SrUuids.ShouldBe(["5d0c7a1e-2b3f-4c8d-9e6a-1f2b3c4d5e6f"]);
    }

    [Theory]
    [InlineData(null, new[] { "target=x" }, "--device-config, --device-config-file and --sr-uuid need --type (e.g. --type lvmoiscsi)")]
    [InlineData("lvmoiscsi", new string[0], "--type lvmoiscsi needs the storage's --device-config (e.g. target=, targetIQN=, SCSIid= for lvmoiscsi)")]
    [InlineData("lvmoiscsi", new[] { "target=x", "secret" }, "--device-config #2: expected key=value")]
    [InlineData("lvmoiscsi", new[] { "target=x", "target=y" }, "--device-config #2: key 'target' given twice")]
    public void Bad_options_are_named_without_echoing_values(string? type, string[] pairs, string message)
        => Should.Throw<DrException>(() => DrStorageArguments.Parse(type, pairs, null, [])).Message.ShouldBe(message);

    [Fact]
    public void A_bad_line_of_the_file_and_a_bad_uuid_are_named()
    {
        var file = Path.Combine(_folder, "config");
        File.WriteAllLines(file, ["target=x", "hunter2"]);
        Should.Throw<DrException>(() => DrStorageArguments.Parse("lvmoiscsi", [], new FileInfo(file), [])).Message.ShouldBe($"{file} line 2: expected key=value");
        Should.Throw<DrException>(() => DrStorageArguments.Parse("lvmoiscsi", ["target=x"], null, ["SR1"])).Message.ShouldBe("--sr-uuid 'SR1' is not a uuid");
        Should.Throw<DrException>(() => DrStorageArguments.Parse("lvmoiscsi", [], new FileInfo(Path.Combine(_folder, "missing")), [])).Message.ShouldStartWith("--device-config-file ");
    }
}
