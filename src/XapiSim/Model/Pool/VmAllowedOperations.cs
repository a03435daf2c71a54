namespace XapiSim.Model.Pool;

/// <summary>The <c>VM.allowed_operations</c> XAPI computes for a VM in a given state (a representative subset).</summary>
internal static class VmAllowedOperations
{
    public static List<object> For(string powerState, bool isTemplate, bool isSnapshot, bool isControlDomain)
    {
        if (isControlDomain)
        {
            return ["changing_memory_limits", "metadata_export"];
        }

        if (isSnapshot)
        {
            return ["revert", "clone", "copy", "export", "destroy", "metadata_export"];
        }

        if (isTemplate)
        {
            return ["clone", "copy", "export", "destroy", "provision", "metadata_export", "changing_memory_limits"];
        }

        return powerState switch
        {
            "Halted" => ["start", "start_on", "clone", "copy", "snapshot", "checkpoint", "export", "destroy", "make_into_template", "changing_memory_limits", "changing_VCPUs", "metadata_export"],
            "Running" => ["clean_shutdown", "hard_shutdown", "clean_reboot", "hard_reboot", "suspend", "pause", "snapshot", "checkpoint", "pool_migrate", "changing_VCPUs_live", "metadata_export"],
            "Paused" => ["unpause", "hard_shutdown", "hard_reboot", "snapshot", "metadata_export"],
            "Suspended" => ["resume", "resume_on", "hard_shutdown", "snapshot", "export", "destroy", "metadata_export"],
            _ => [],
        };
    }
}
