using System.Net;

namespace Knocknoc.Entra.Sdk;

/// <summary>
/// Which HTTP statuses from Graph are transient: worth trying the same request again later. The retry pipeline
/// retries them (an idempotent request, or any request on 429) and the client marks its errors with it.
/// </summary>
internal static class TransientStatus
{
    /// <summary>Whether <paramref name="status"/> is transient: 408, 429, 500, 502, 503 or 504.</summary>
    /// <param name="status">The status.</param>
    /// <returns>True when it is.</returns>
    public static bool Is(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;
}
