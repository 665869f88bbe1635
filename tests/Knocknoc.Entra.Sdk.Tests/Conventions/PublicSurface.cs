using System.Reflection;
using System.Text;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using Knocknoc.Entra.Sdk.Testing;

namespace Knocknoc.Entra.Sdk.Tests.Conventions;

/// <summary>The public surface of the shipped assemblies, rendered as stable text by reflection.</summary>
internal static class PublicSurface
{
    public static readonly Assembly[] Assemblies = [typeof(Cidr).Assembly, typeof(EntraEmulator).Assembly, typeof(Sdk.Azure.TokenCredentialSource).Assembly, typeof(Sdk.PostgreSql.PostgreSqlNamedLocationGate).Assembly];

    public static IEnumerable<Type> Types(Assembly assembly) =>
        assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal);

    public static IEnumerable<MemberInfo> Members(Type type) =>
        type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m is not MethodInfo { IsSpecialName: true } && !m.Name.Contains('<', StringComparison.Ordinal))
            .OrderBy(m => m.MemberType.ToString(), StringComparer.Ordinal)
            .ThenBy(Render, StringComparer.Ordinal);

    public static string Render(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in Types(assembly))
        {
            text.Append(Kind(type)).Append(' ').Append(Name(type));
            var bases = new List<string>();
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                bases.Add(Name(baseType));
            }

            // Only public interfaces are API: an internal one (the meter's view of a gate) is an implementation detail.
            bases.AddRange(type.GetInterfaces().Where(i => i.IsVisible).Select(Name).Order(StringComparer.Ordinal));
            text.Append(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty).Append('\n');
            foreach (var member in Members(type))
            {
                text.Append("    ").Append(Render(member)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Render(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : string.Empty)}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m)})",
        PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : string.Empty)}{Name(p.PropertyType)} {p.Name} {{ {Accessors(p)}}}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : string.Empty)}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type t => $"nested {Name(t)}",
        _ => member.ToString() ?? member.Name,
    };

    public static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsByRef)
        {
            return "ref " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        var name = type.IsNested ? $"{Name(type.DeclaringType!)}.{type.Name}" : $"{type.Namespace}.{type.Name}";
        if (!type.IsGenericType)
        {
            return name;
        }

        return $"{name[..name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : "class";

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : string.Empty;

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : string.Empty)}"));

    private static string Accessors(PropertyInfo property)
    {
        var text = new StringBuilder();
        if (property.GetMethod is { IsPublic: true })
        {
            text.Append("get; ");
        }

        if (property.SetMethod is { IsPublic: true } setter)
        {
            var init = setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
            text.Append(init ? "init; " : "set; ");
        }

        return text.ToString();
    }
}
