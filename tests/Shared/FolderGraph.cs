using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace Knocknoc.Entra.Tests;

/// <summary>
/// Which folder of an assembly uses which, read from the compiled code (compiled into every test project): a type
/// uses another when that type appears in its base type, interfaces, attributes, fields, signatures, locals or any
/// token of its method bodies. A folder is the first namespace segment under the assembly's root namespace, so
/// <c>Graph.Wire</c> belongs to <c>Graph</c>; a type declared in the root namespace itself (the host-facing types
/// of several folders share it, so a host needs one <c>using</c>) belongs to the folder of its source file
/// (<see cref="RootTypeFolders"/>); compiler-generated nested types (lambdas, async state machines) count
/// for the type that declares them. Constants and enum values the compiler folds into IL leave no trace there, so
/// <see cref="SourceEdges"/> adds what the source files' <c>using</c> directives name.
/// </summary>
internal static partial class FolderGraph
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>
    /// The folder edges of <paramref name="assembly"/>, as "From -> To". <paramref name="folderOf"/> names the folder
    /// of types outside the root namespace that the assembly declares (a top-level program, an extension class in
    /// Microsoft's namespace), or returns null to leave a type out.
    /// </summary>
    public static SortedSet<string> Edges(Assembly assembly, string rootNamespace, Func<Type, string?> folderOf, IReadOnlyDictionary<string, string>? rootTypeFolders = null)
    {
        string? FolderOf(Type type)
        {
            while (type.DeclaringType is { } outer)
            {
                type = outer;
            }

            if (type.Assembly != assembly)
            {
                return null;
            }

            var ns = type.Namespace;
            if (ns is not null && ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            {
                return ns[(rootNamespace.Length + 1)..].Split('.')[0];
            }

            if (ns == rootNamespace && rootTypeFolders?.GetValueOrDefault(type.Name.Split('`')[0]) is { } declaredIn)
            {
                return declaredIn;
            }

            return folderOf(type);
        }

        var edges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type) is not { } from)
            {
                continue;
            }

            foreach (var used in UsedTypes(type))
            {
                if (FolderOf(used) is { } to && to != from)
                {
                    edges.Add($"{from} -> {to}");
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// The folder edges the C# files under <paramref name="sourceDirectory"/> name outside comments, which catches a
    /// constant or enum value the compiler folds into IL: a <c>using</c> of a folder's namespace, a name in it written
    /// out (<c>Knocknoc.Entra.Sdk.GraphLimits</c>), or a type of <paramref name="assembly"/> qualified by its
    /// folder (<c>Clouds.GraphLimits</c>). A file's folder is the first directory under
    /// <paramref name="sourceDirectory"/>; a file directly in it belongs to <paramref name="rootFolder"/>.
    /// </summary>
    public static SortedSet<string> SourceEdges(string sourceDirectory, Assembly assembly, string rootNamespace, string rootFolder)
    {
        var rootTypes = RootTypeFolders(sourceDirectory, rootNamespace);
        var typesByFolder = assembly.GetTypes()
            .Where(t => t.DeclaringType is null && t.Namespace?.StartsWith(rootNamespace + ".", StringComparison.Ordinal) == true)
            .ToLookup(t => t.Namespace![(rootNamespace.Length + 1)..].Split('.')[0], t => t.Name.Split('`')[0]);
        var namespaceName = new Regex(@"(?<![\w.])" + Regex.Escape(rootNamespace) + @"\.(?<folder>\w+)", RegexOptions.CultureInvariant);
        var edges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(sourceDirectory))
        {
            var parts = Path.GetRelativePath(sourceDirectory, file).Split(Path.DirectorySeparatorChar);
            var from = parts.Length == 1 ? rootFolder : parts[0];
            void Add(string to)
            {
                if (to != from)
                {
                    edges.Add($"{from} -> {to}");
                }
            }

            foreach (var line in File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)))
            {
                foreach (Match match in namespaceName.Matches(line))
                {
                    // Knocknoc.Entra.Sdk.Graph names a folder; Knocknoc.Entra.Sdk.EntraCloud a root type of one.
                    var name = match.Groups["folder"].Value;
                    Add(rootTypes.GetValueOrDefault(name) ?? name);
                }

                foreach (Match match in QualifiedName().Matches(line))
                {
                    var folder = match.Groups["folder"].Value;
                    if (typesByFolder[folder].Contains(match.Groups["type"].Value))
                    {
                        Add(folder);
                    }
                    else if (rootTypes.GetValueOrDefault(folder) is { } declaredIn)
                    {
                        // A root type's member (GraphLimits.MaxRanges): a constant leaves no trace in IL.
                        Add(declaredIn);
                    }
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// The folder of each top-level type the files under <paramref name="sourceDirectory"/> declare directly in
    /// <paramref name="rootNamespace"/>, by the name without generic arity: the first directory of its file.
    /// </summary>
    public static Dictionary<string, string> RootTypeFolders(string sourceDirectory, string rootNamespace)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        var declaration = new Regex(
            @"^(?:(?:public|internal|sealed|static|abstract|readonly|partial|file|ref)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>\w+)",
            RegexOptions.CultureInvariant);
        foreach (var file in SourceFiles(sourceDirectory))
        {
            var lines = File.ReadAllLines(file);
            if (!lines.Contains($"namespace {rootNamespace};"))
            {
                continue;
            }

            var parts = Path.GetRelativePath(sourceDirectory, file).Split(Path.DirectorySeparatorChar);
            foreach (var line in lines)
            {
                if (declaration.Match(line) is { Success: true } match && parts.Length > 1)
                {
                    folders.TryAdd(match.Groups["name"].Value, parts[0]);
                }
            }
        }

        return folders;
    }

    private static IEnumerable<string> SourceFiles(string sourceDirectory) =>
        Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(file => Path.GetRelativePath(sourceDirectory, file).Split(Path.DirectorySeparatorChar)[0] is not ("obj" or "bin"));

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)")]
    private static partial Regex QualifiedName();

    private static HashSet<Type> UsedTypes(Type type)
    {
        var used = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !used.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        void AddAttributes(MemberInfo member)
        {
            foreach (var attribute in member.GetCustomAttributesData())
            {
                Add(attribute.AttributeType);
            }
        }

        Add(type.BaseType);
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract);
        }

        AddAttributes(type);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddAttributes(method);
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            if (method.GetMethodBody() is not { } body)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType);
            }

            foreach (var member in Tokens(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type t:
                        Add(t);
                        break;
                    case FieldInfo f:
                        Add(f.DeclaringType);
                        Add(f.FieldType);
                        break;
                    case MethodBase m:
                        Add(m.DeclaringType);
                        if (m is MethodInfo mi)
                        {
                            Add(mi.ReturnType);
                            if (mi.IsGenericMethod)
                            {
                                foreach (var argument in mi.GetGenericArguments())
                                {
                                    Add(argument);
                                }
                            }
                        }

                        break;
                }
            }
        }

        return used;
    }

    /// <summary>The types, fields and methods a method body's instructions name.</summary>
    private static IEnumerable<MemberInfo> Tokens(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
            }
        }
    }
}
