namespace XapiSim.Model.Methods;

/// <summary>Packs a changed-block list into XAPI's CBT bitmap: block i is byte i/8, bit 7 - i%8 (MSB first).</summary>
internal static class ChangedBlockBitmap
{
    /// <summary>Encodes <paramref name="changed"/> into <c>ceil(virtualSize / blockSize / 8)</c> bytes.</summary>
    public static byte[] Encode(IReadOnlyList<bool> changed, long virtualSize, int blockSize)
    {
        var blocks = (virtualSize + blockSize - 1) / blockSize;
        var bytes = new byte[(blocks + 7) / 8];
        for (var i = 0; i < changed.Count && i < blocks; i++)
        {
            if (changed[i])
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return bytes;
    }
}
