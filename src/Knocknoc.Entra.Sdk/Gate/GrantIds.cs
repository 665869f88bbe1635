namespace Knocknoc.Entra.Sdk;

/// <summary>What a grant id must be: non-blank, at most 1,024 characters, valid Unicode.</summary>
internal static class GrantIds
{
    private const int MaxLength = 1024;

    public static void Validate(string grantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grantId);
        if (grantId.Length > MaxLength)
        {
            throw new ArgumentException($"A grant id is at most {MaxLength} characters.", nameof(grantId));
        }

        // A lone surrogate cannot be stored (or logged) unchanged: refuse it here, not when the store is saved.
        var text = grantId.AsSpan();
        while (text.IndexOfAnyInRange('\uD800', '\uDFFF') is var surrogate and >= 0)
        {
            if (System.Text.Rune.DecodeFromUtf16(text[surrogate..], out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException("A grant id must be valid Unicode text.", nameof(grantId));
            }

            text = text[(surrogate + used)..];
        }
    }
}
