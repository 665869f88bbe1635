using Microsoft.Extensions.Logging;

namespace Knocknoc.Entra.Sdk.Tests.Errors;

/// <summary>Every ENTRA code has its own number, title and advice: what an operator reads first.</summary>
public class EntraErrorCatalogTests
{
    private const string FallbackDescription = "Unknown Entra error";
    private const string FallbackAdvice = "See docs/error-codes.md.";

    private static IEnumerable<TestCaseData> Codes()
    {
        yield return Entry(EntraErrorCode.ConnectionFailed, "ENTRA000", "Failed to connect to Microsoft Graph", "outbound TCP 443");
        yield return Entry(EntraErrorCode.AuthenticationFailed, "ENTRA001", "Microsoft Entra authentication failed", "the client secret's value (not its id)");
        yield return Entry(EntraErrorCode.AuthorizationFailed, "ENTRA002", "Microsoft Entra authorization failed", "Policy.ReadWrite.ConditionalAccess (application, not delegated) and grant admin consent");
        yield return Entry(EntraErrorCode.TlsFailure, "ENTRA003", "Microsoft Graph TLS/SSL certificate error", "trust the right CA, never disable validation");
        yield return Entry(EntraErrorCode.Timeout, "ENTRA004", "Microsoft Graph connection timed out", "the request timeouts are options");
        yield return Entry(EntraErrorCode.Throttled, "ENTRA005", "Microsoft Graph API throttled", "1 request per second for all apps together");
        yield return Entry(EntraErrorCode.NamedLocationReadFailed, "ENTRA050", "Failed to get Entra Named Location", "the request id identifies the call to Microsoft support");
        yield return Entry(EntraErrorCode.NamedLocationUpdateFailed, "ENTRA051", "Failed to update Entra Named Location", "a malformed or too wide CIDR, too many ranges, or a concurrent modification");
        yield return Entry(EntraErrorCode.NamedLocationNotFound, "ENTRA052", "Entra Named Location not found", "Compare the configured named location id with the one in the portal");
        yield return Entry(EntraErrorCode.NotAnIpNamedLocation, "ENTRA053", "Entra Named Location is not an IP-based location", "create an IP ranges location and configure its id");
        yield return Entry(EntraErrorCode.UnexpectedResponse, "ENTRA054", "Invalid or unexpected response from Microsoft Graph", "A proxy or captive portal may be altering responses");
        yield return Entry(EntraErrorCode.NamedLocationCreateFailed, "ENTRA055", "Failed to create Entra Named Location", "at most 195 named locations");
        yield return Entry(EntraErrorCode.NamedLocationDeleteFailed, "ENTRA056", "Failed to delete Entra Named Location", "must be marked untrusted before it can be deleted");
        yield return Entry(EntraErrorCode.PolicyReadFailed, "ENTRA057", "Failed to read Conditional Access policies", "A missing Policy.Read.All is ENTRA002, not ENTRA057");
        yield return Entry(EntraErrorCode.CapacityExceeded, "ENTRA058", "Entra Named Location capacity exceeded", "ranges are never widened to fit");
        yield return Entry(EntraErrorCode.GrantRefused, "ENTRA059", "Unsafe or invalid grant refused", "Grant only public unicast host addresses with an expiry in the future");
        yield return Entry(EntraErrorCode.NameGuardMismatch, "ENTRA060", "Entra Named Location is not managed by this agent", "does not pass the configured name guard");
        yield return Entry(EntraErrorCode.NamedLocationNameAmbiguous, "ENTRA061", "Entra Named Location name is ambiguous", "configure the location by id instead");
        yield return Entry(EntraErrorCode.GrantStoreDamaged, "ENTRA062", "Grant store is damaged", "Check the disk, the file's permissions and what else writes it");
        yield return Entry(EntraErrorCode.GrantStoreUnwritable, "ENTRA063", "Grant store cannot be written", "revocations still reach Entra");
        yield return Entry(EntraErrorCode.GrantStoreLocked, "ENTRA064", "Grant store is held by another process", "give each gate its own store file");
        yield return Entry(EntraErrorCode.StateFileQuarantined, "ENTRA065", "State file set aside", "look at the quarantined file named in the message");
        yield return Entry(EntraErrorCode.StateDirectoryUnsafe, "ENTRA066", "State directory is not safe", "writable by the running user alone");
        yield return Entry(EntraErrorCode.SessionRevocationFailed, "ENTRA067", "Failed to revoke the user's sign-in sessions", "User.RevokeSessions.All");
        yield return Entry(EntraErrorCode.WhatIfEvaluationFailed, "ENTRA068", "Failed to evaluate Conditional Access (What If)", "Policy.Read.ConditionalAccess");
    }

    [Test]
    public void The_table_covers_every_code() =>
        Assert.That(Codes().Select(c => (EntraErrorCode)c.Arguments[0]!), Is.EquivalentTo(Enum.GetValues<EntraErrorCode>()));

    [Test]
    public void The_catalogue_has_exactly_one_row_per_code_in_number_order()
    {
        var rows = EntraErrorCatalog.Entries.Select(row => row.Code).ToList();
        Assert.That(rows, Is.EqualTo(Enum.GetValues<EntraErrorCode>().Order()));
    }

    [Test]
    public void Each_row_logs_under_its_number_and_name_as_an_error_but_a_state_file_set_aside_as_a_warning()
    {
        foreach (var row in EntraErrorCatalog.Entries)
        {
            Assert.That(row.EventId, Is.EqualTo(2000 + (int)row.Code), row.Name);
            Assert.That(row.Name, Is.EqualTo(EntraErrorCatalog.Format(row.Code)));
            Assert.That(row.Description, Is.EqualTo(EntraErrorCatalog.Describe(row.Code)));
            Assert.That(row.Advice, Is.EqualTo(EntraErrorCatalog.Advise(row.Code)));
            Assert.That(row.LogLevel, Is.EqualTo(row.Code == EntraErrorCode.StateFileQuarantined ? LogLevel.Warning : LogLevel.Error), row.Name);
        }
    }

    [TestCaseSource(nameof(Codes))]
    public void Each_code_has_its_number_title_and_advice(EntraErrorCode code, string text, string title, string advice)
    {
        Assert.That(EntraErrorCatalog.Format(code), Is.EqualTo(text));
        Assert.That(EntraErrorCatalog.Describe(code), Is.EqualTo(title));
        Assert.That(EntraErrorCatalog.Advise(code), Does.Contain(advice));
        Assert.That(EntraErrorCatalog.Advise(code), Is.Not.EqualTo(FallbackAdvice));
    }

    [Test]
    public void No_two_codes_share_a_title_or_advice()
    {
        var codes = Enum.GetValues<EntraErrorCode>();
        Assert.That(codes.Select(EntraErrorCatalog.Describe), Is.Unique.And.No.Member(FallbackDescription).And.None.Empty);
        Assert.That(codes.Select(EntraErrorCatalog.Advise), Is.Unique.And.No.Member(FallbackAdvice).And.None.Empty);
        Assert.That(codes.Select(EntraErrorCatalog.Format), Is.Unique);
    }

    [Test]
    public void An_undefined_code_still_reads_as_a_code_and_points_to_the_documentation()
    {
        var unknown = (EntraErrorCode)7;
        Assert.That(EntraErrorCatalog.Format(unknown), Is.EqualTo("ENTRA007"));
        Assert.That(EntraErrorCatalog.Describe(unknown), Is.EqualTo(FallbackDescription));
        Assert.That(EntraErrorCatalog.Advise(unknown), Is.EqualTo(FallbackAdvice));
        Assert.That(new EntraException(unknown).Message, Is.EqualTo("(agent error #ENTRA007) Unknown Entra error. See docs/error-codes.md."));
    }

    private static TestCaseData Entry(EntraErrorCode code, string text, string title, string advice) =>
        new TestCaseData(code, text, title, advice).SetName($"{text} is {code}");
}
