using System.Net;

namespace Knocknoc.Entra.Sdk.Tests.Errors;

/// <summary>What an <see cref="EntraException"/> tells the operator and the code handling it.</summary>
public class EntraExceptionTests
{
    [Test]
    public void A_code_alone_gives_the_title_and_the_advice()
    {
        var error = new EntraException(EntraErrorCode.NamedLocationNotFound);

        Assert.That(error.Message, Is.EqualTo("(agent error #ENTRA052) Entra Named Location not found. " + EntraErrorCatalog.Advise(EntraErrorCode.NamedLocationNotFound)));
        Assert.That(error.Code, Is.EqualTo(EntraErrorCode.NamedLocationNotFound));
        Assert.That(error.CodeText, Is.EqualTo("ENTRA052"));
        Assert.That(error.StatusCode, Is.Null);
        Assert.That(error.GraphErrorCode, Is.Null);
        Assert.That(error.RequestId, Is.Null);
        Assert.That(error.ClientRequestId, Is.Null);
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.AuthenticationFailure, Is.Null);
        Assert.That(error.InnerException, Is.Null);
    }

    [Test]
    public void A_detail_sits_between_the_title_and_the_advice_with_one_full_stop()
    {
        var cause = new InvalidOperationException("inner");
        var error = new EntraException(EntraErrorCode.GrantRefused, "192.168.1.1 is a private address.", cause);

        Assert.That(error.Message, Is.EqualTo("(agent error #ENTRA059) Unsafe or invalid grant refused. 192.168.1.1 is a private address. " + EntraErrorCatalog.Advise(EntraErrorCode.GrantRefused)));
        Assert.That(error.InnerException, Is.SameAs(cause));
    }

    [Test]
    public void An_empty_detail_adds_nothing() =>
        Assert.That(new EntraException(EntraErrorCode.Timeout, string.Empty).Message, Is.EqualTo(new EntraException(EntraErrorCode.Timeout).Message));

    [Test]
    public void Every_fact_is_listed_after_the_advice_in_brackets()
    {
        var error = new EntraException(
            new EntraFailure(EntraErrorCode.NamedLocationUpdateFailed)
            {
                Detail = "Invalid CIDR",
                StatusCode = HttpStatusCode.BadRequest,
                GraphErrorCode = "BadRequest",
                RequestId = "req-1",
                ClientRequestId = "client-1",
                IsTransient = true,
                AuthenticationFailure = EntraAuthenticationFailure.Unspecified,
            },
            innerException: null);

        Assert.That(
            error.Message,
            Is.EqualTo("(agent error #ENTRA051) Failed to update Entra Named Location. Invalid CIDR. " + EntraErrorCatalog.Advise(EntraErrorCode.NamedLocationUpdateFailed)
                       + " [HTTP 400, code BadRequest, request-id req-1, client-request-id client-1]"));
        Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error.GraphErrorCode, Is.EqualTo("BadRequest"));
        Assert.That(error.RequestId, Is.EqualTo("req-1"));
        Assert.That(error.ClientRequestId, Is.EqualTo("client-1"));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(error.AuthenticationFailure, Is.EqualTo(EntraAuthenticationFailure.Unspecified));
    }

    private static IEnumerable<TestCaseData> SingleFacts()
    {
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled) { StatusCode = (HttpStatusCode)429 }, "[HTTP 429]").SetName("Only a status");
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled) { GraphErrorCode = "TooManyRequests" }, "[code TooManyRequests]").SetName("Only Graph's code");
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled) { RequestId = "req-9" }, "[request-id req-9]").SetName("Only a request id");
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled) { ClientRequestId = "client-9" }, "[client-request-id client-9]").SetName("Only a client request id");
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled) { GraphErrorCode = string.Empty, RequestId = string.Empty, ClientRequestId = string.Empty }, null).SetName("Empty facts are left out");
        yield return new TestCaseData(new EntraFailure(EntraErrorCode.Throttled), null).SetName("No facts, no brackets");
    }

    [TestCaseSource(nameof(SingleFacts))]
    public void Each_fact_is_shown_on_its_own(object failure, string? facts)
    {
        var message = new EntraException((EntraFailure)failure, innerException: null).Message;
        var expected = "(agent error #ENTRA005) Microsoft Graph API throttled. " + EntraErrorCatalog.Advise(EntraErrorCode.Throttled) + (facts is null ? string.Empty : " " + facts);
        Assert.That(message, Is.EqualTo(expected));
    }

    [Test]
    public void The_framework_constructors_make_an_ENTRA054()
    {
        var cause = new FormatException("bad");
        var plain = new EntraException();
        var withMessage = new EntraException("the body was cut short");
        var withCause = new EntraException("the body was cut short", cause);

        Assert.That(new[] { plain.Code, withMessage.Code, withCause.Code }, Has.All.EqualTo(EntraErrorCode.UnexpectedResponse));
        Assert.That(plain.Message, Does.StartWith("(agent error #ENTRA054) Invalid or unexpected response from Microsoft Graph. A proxy"));
        Assert.That(withMessage.Message, Does.StartWith("(agent error #ENTRA054) Invalid or unexpected response from Microsoft Graph. the body was cut short. A proxy"));
        Assert.That(withCause.Message, Is.EqualTo(withMessage.Message));
        Assert.That(withCause.InnerException, Is.SameAs(cause));
    }

    [Test]
    public void ToString_leads_with_the_code_and_keeps_the_cause()
    {
        var error = new EntraException(
            new EntraFailure(EntraErrorCode.AuthorizationFailed) { StatusCode = HttpStatusCode.Forbidden, RequestId = "req-403" },
            new HttpRequestException("inner cause"));

        var text = error.ToString();

        Assert.That(text, Does.StartWith(typeof(EntraException).FullName + ": (agent error #ENTRA002) Microsoft Entra authorization failed."));
        Assert.That(text, Does.Contain("[HTTP 403, request-id req-403]"));
        Assert.That(text, Does.Contain("inner cause"));
    }
}
