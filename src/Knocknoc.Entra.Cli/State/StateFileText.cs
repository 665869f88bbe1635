using System.Text;

namespace Knocknoc.Entra.Cli.State;

/// <summary>Reads the tool's own text files in the state directory (queued changes, journals): bounded, strict UTF-8.</summary>
internal static class StateFileText
{
    /// <summary>The largest file read (a change's outcome or a journal lists at most 2,000 ranges a few times over).</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>Reads a state file of at most <see cref="MaxLength"/> bytes as UTF-8, or null when it is too long, not UTF-8 or gone.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The text.</returns>
    public static string? Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxLength)
            {
                return null;
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or DecoderFallbackException)
        {
            return null;
        }
    }
}
