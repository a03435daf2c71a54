using VmBackup.Core.Nau.CommandLine;

namespace VmBackup.Core.Tests.Nau;

public sealed class NauPasswordFileTests
{
    [Theory]
    [InlineData("secret", "c2VjcmV0")]
    [InlineData("pass$word*", "cGFzcyR3b3JkKg==")]
    [InlineData("", "")]
    public void Encode_is_standard_base64_without_newline(string password, string expected)
    {
        NauPasswordFile.Encode(password).ShouldBe(expected);
    }

    [Theory]
    [InlineData("c2VjcmV0", "secret")]
    [InlineData("c2VjcmV0\n", "secret")]
    [InlineData("c2VjcmV0\r\n", "secret")]
    [InlineData(" c2Vj\ncmV0 ", "secret")]
    [InlineData("cGFzcyR3b3JkKg==", "pass$word*")]
    [InlineData("cGFzcyR3b3JkKg==\n", "pass$word*")]
    public void Decode_ignores_characters_outside_the_alphabet(string content, string expected)
    {
        NauPasswordFile.Decode("pw", content).GetValueOrThrow().ShouldBe(expected);
    }

    [Theory]
    [InlineData("c2VjcmV")]
    [InlineData("cGFzcyR3b3JkKg")]
    [InlineData("cGFzcyR3b3JkKg=")]
    [InlineData("a")]
    public void Decode_rejects_bad_padding_naming_the_file(string content)
    {
        var result = NauPasswordFile.Decode("/root/VmBackup.pass", content);
        result.Success.ShouldBeFalse();
        result.ExitCode.ShouldBe(1);
        result.ErrorMessage.ShouldContain("/root/VmBackup.pass");
        result.ErrorMessage.ShouldContain("padding");
    }

    [Fact]
    public void Write_creates_a_0600_file_that_decodes_back()
    {
        var dir = Directory.CreateTempSubdirectory("vmbackup-pw-");
        try
        {
            var path = Path.Combine(dir.FullName, "VmBackup.pass");
            File.WriteAllText(path, "old content that is longer than the new one");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            var message = NauPasswordFile.Write(path, "secret");

            message.ShouldBe($"password file saved to: {path}");
            File.ReadAllText(path).ShouldBe("c2VjcmV0");
            NauPasswordFile.Decode(path, File.ReadAllText(path)).GetValueOrThrow().ShouldBe("secret");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void PasswordSource_never_prints_the_password()
    {
        new NauPasswordSource("hunter2", false).ToString().ShouldNotContain("hunter2");
    }
}
