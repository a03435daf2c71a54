using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;

namespace VmBackup.Core.Tests.Nau;

public sealed class NauConfigFileTests
{
    [Fact]
    public void Parse_keeps_directives_in_file_order_with_line_numbers()
    {
        var doc = NauConfigFile.Parse("w.cfg", "\uFEFFexclude=a\n\nvm-export=b:3\n  vdi-export =  c d  \n", false).GetValueOrThrow();

        doc.Directives.ShouldBe([
            new NauDirective(NauDirectiveKind.Exclude, "a", 1),
            new NauDirective(NauDirectiveKind.VmExport, "b:3", 3),
            new NauDirective(NauDirectiveKind.VdiExport, "c d", 4),
        ]);
        doc.Settings.ShouldBe(NauSettings.Defaults);
    }

    [Fact]
    public void Parse_keeps_setting_strings_verbatim_and_keys_case_sensitive()
    {
        var doc = NauConfigFile.Parse("w.cfg", "max_backups = +3\nbackup_dir=/b\nMAX_BACKUPS=9\n", true).GetValueOrThrow();
        doc.Settings.MaxBackups.ShouldBe("+3");
        doc.Settings.BackupDir.ShouldBe("/b");
        doc.IgnoredKeys.ShouldBe([new KeyValuePair<string, string>("MAX_BACKUPS", "9")]);
        doc.HasUnknownKeyErrors.ShouldBeFalse();
    }

    [Fact]
    public void Parse_reads_extension_keys()
    {
        var doc = NauConfigFile.Parse("w.cfg", "compress=ZSTD\nmail_to=a@x, ,b@x\nmail_smtp_starttls=false\n", false).GetValueOrThrow();
        doc.Extensions.Compress.ShouldBe(NauCompression.Zstd);
        doc.Extensions.MailTo.ShouldBe(["a@x", "b@x"]);
        doc.Extensions.MailSmtpStartTls.ShouldBe(false);
        doc.Extensions.Any.ShouldBeTrue();
    }

    [Fact]
    public void Parse_reports_every_structural_error_with_file_and_line()
    {
        var result = NauConfigFile.Parse("/etc/w.cfg", "a\nmax_backups=1\nb=c=d\nmax_backups=2\n", false);
        result.Success.ShouldBeFalse();
        result.ErrorLines.Select(l => l.Message).ShouldBe([
            "ERROR /etc/w.cfg:1: expected key=value, found no '=': a",
            "ERROR /etc/w.cfg:3: more than one '=' in line (only key=value is allowed): b=c=d",
            "ERROR /etc/w.cfg:4: config key max_backups repeated (first set on line 2); set it once",
        ]);
    }

    [Fact]
    public void Repeated_selection_keys_are_not_an_error()
    {
        var doc = NauConfigFile.Parse("w.cfg", "vm-export=a\nvm-export=a\nexclude=b\nexclude=b\n", false).GetValueOrThrow();
        doc.Directives.Count.ShouldBe(4);
    }
}
