using System.Reflection;
using System.Xml.Linq;

namespace Knocknoc.Entra.Sdk.Tests.Conventions;

/// <summary>Rules every public type follows, checked by reflection so a new member cannot forget them.</summary>
public class ConventionTests
{
    private static IEnumerable<MethodInfo> PublicMethods() =>
        PublicSurface.Assemblies.SelectMany(PublicSurface.Types).SelectMany(PublicSurface.Members).OfType<MethodInfo>();

    [Test]
    public void Every_public_async_method_ends_in_Async_and_takes_a_CancellationToken_last()
    {
        var offenders = PublicMethods()
            .Where(m => IsAwaitable(m.ReturnType) && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => !m.Name.EndsWith("Async", StringComparison.Ordinal) || m.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Every_options_property_documents_its_default()
    {
        var documented = PublicSurface.Assemblies
            .SelectMany(a => XDocument.Load(Path.ChangeExtension(a.Location, ".xml")).Descendants("member"))
            .Where(m => ((string?)m.Element("value"))?.Contains("The default value is", StringComparison.Ordinal) == true)
            .Select(m => (string)m.Attribute("name")!)
            .ToHashSet();
        var options = PublicSurface.Assemblies.SelectMany(PublicSurface.Types).Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)).ToList();

        Assert.That(options, Is.Not.Empty);
        var undocumented = options
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            .Select(p => $"P:{p.DeclaringType!.FullName}.{p.Name}")
            .Where(name => !documented.Contains(name));
        Assert.That(undocumented, Is.Empty);
    }

    [Test]
    public void No_public_signature_exposes_MSAL_or_Polly()
    {
        static bool Foreign(Type type) =>
            type.Namespace?.StartsWith("Microsoft.Identity", StringComparison.Ordinal) == true
            || type.Namespace?.StartsWith("Polly", StringComparison.Ordinal) == true
            || (type.IsGenericType && type.GetGenericArguments().Any(Foreign))
            || (type.HasElementType && Foreign(type.GetElementType()!));

        var exposed = PublicSurface.Assemblies.SelectMany(PublicSurface.Types).SelectMany(type =>
        {
            var types = new List<(string Where, Type Type)>();
            types.AddRange(type.GetInterfaces().Select(i => (type.Name, i)));
            if (type.BaseType is { } baseType)
            {
                types.Add((type.Name, baseType));
            }

            foreach (var member in PublicSurface.Members(type))
            {
                var where = $"{type.Name}.{member.Name}";
                switch (member)
                {
                    case MethodBase method:
                        types.AddRange(method.GetParameters().Select(p => (where, p.ParameterType)));
                        if (method is MethodInfo info)
                        {
                            types.Add((where, info.ReturnType));
                        }

                        break;
                    case PropertyInfo property:
                        types.Add((where, property.PropertyType));
                        break;
                    case FieldInfo field:
                        types.Add((where, field.FieldType));
                        break;
                }
            }

            return types;
        }).Where(t => Foreign(t.Type)).Select(t => $"{t.Where}: {t.Type}");

        Assert.That(exposed, Is.Empty);
    }

    [Test]
    public void Every_public_type_is_sealed_static_abstract_an_interface_an_enum_or_a_struct()
    {
        // Sealed by default: unsealing later is compatible, sealing later is not.
        var open = PublicSurface.Assemblies.SelectMany(PublicSurface.Types)
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)
            .Select(t => t.FullName);
        Assert.That(open, Is.Empty);
    }

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>) || type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)));
}
