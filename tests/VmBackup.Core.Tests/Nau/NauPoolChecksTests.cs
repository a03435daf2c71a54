using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Tests.Nau;

public sealed class NauPoolChecksTests
{
    private static readonly IReadOnlyList<PoolVm> Pool = PoolBuilder.Parse(
        """
        OpaqueRef:snap | PROD-db | S
        OpaqueRef:vm1 | PROD-db
        OpaqueRef:tpl | CentOS 7 | T
        OpaqueRef:vm2 | CentOS 7
        OpaqueRef:dom0 | Control domain on host: xs1 | D
        OpaqueRef:onlysnap | gone | S
        """);

    [Fact]
    public void VerifyVmName_returns_the_first_non_snapshot_ref()
    {
        var check = NauPoolChecks.VerifyVmName("PROD-db", Pool);
        check.Success.ShouldBeTrue();
        check.Ref.ShouldBe("OpaqueRef:vm1"); // v3.25 returned OpaqueRef:snap
    }

    [Fact]
    public void VerifyVmName_reports_a_vm_named_like_a_template()
    {
        var check = NauPoolChecks.VerifyVmName("CentOS 7", Pool);
        check.Success.ShouldBeFalse();
        check.Error.ShouldBe("ERROR more than one vm with the name CentOS 7");
        check.LogLines.Single().Message.ShouldBe("ERROR: duplicate VM name found: CentOS 7 | ['OpaqueRef:tpl', 'OpaqueRef:vm2']");
    }

    [Theory]
    [InlineData("nothing")]
    [InlineData("gone")]
    public void VerifyVmName_reports_missing_machines(string name)
    {
        NauPoolChecks.VerifyVmName(name, Pool).Error.ShouldBe($"ERROR no machines found with the name {name}");
    }

    [Fact]
    public void VerifyConfigVmsExist_lists_missing_names_with_trailing_space()
    {
        var (lines, allExist) = NauPoolChecks.VerifyConfigVmsExist(
            [new NauSelectionEntry("a", "3"), new NauSelectionEntry("PROD-db")],
            [new NauSelectionEntry("b")],
            ["c", "gone"],
            Pool);

        allExist.ShouldBeFalse();
        lines.Select(l => l.Message).ShouldBe(["ERROR - vm(s) List does not exist: a b ", "***WARNING - vm(s) Exclude does not exist: c "]);
    }
}
