using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>
/// What netipx's IPSetBuilder and IPSet offer beyond union, intersection and difference, against the naive
/// explicit-address model: removal in the builder, complement, set overlap, ranges in and out.
/// </summary>
public class CidrSetCompletenessProperties
{
    /// <summary>What a builder step does with its network or range.</summary>
    internal enum StepKind
    {
        Add,
        Remove,
        AddAsSet,
        AddAsSpan,
        AddAsList,
        RemoveAsSet,
        RemoveAsList,
        IntersectWith,
        ComplementWithin,
        Clear,
    }

    /// <summary>One builder step: add or remove a network or a range, as itself, a set or a span; or reshape all so far.</summary>
    internal sealed record Step(StepKind Kind, Cidr? Cidr, IPAddressRange Range)
    {
        public HashSet<ModelAddress> Addresses => Cidr is { } cidr ? AddressModel.Expand([cidr]) : AddressModel.Expand(Range);

        private CidrSet AsSet => Cidr is { } cidr ? CidrSet.Create([cidr]) : CidrSet.Create(Range.ToCidrs());

        public void ApplyTo(CidrSetBuilder builder)
        {
            switch (Kind)
            {
                case StepKind.Add when Cidr is { } cidr: builder.Add(cidr); break;
                case StepKind.Add: builder.Add(Range); break;
                case StepKind.Remove when Cidr is { } cidr: builder.Remove(cidr); break;
                case StepKind.Remove: builder.Remove(Range); break;
                case StepKind.AddAsSet: builder.Add(AsSet); break;
                case StepKind.AddAsSpan: builder.AddRange(AsSet.ToCidrs().ToArray().AsSpan()); break;
                case StepKind.AddAsList: builder.AddRange((IEnumerable<Cidr>)AsSet.ToCidrs()); break;
                case StepKind.RemoveAsSet: builder.Remove(AsSet); break;
                case StepKind.RemoveAsList: builder.RemoveRange(AsSet.ToCidrs()); break;
                case StepKind.IntersectWith: builder.Intersect(AsSet); break;
                case StepKind.ComplementWithin: builder.Complement().Intersect(AsSet); break;
                default: builder.Clear(); break;
            }
        }

        /// <summary>The same step on the naive model.</summary>
        public void ApplyTo(HashSet<ModelAddress> model)
        {
            switch (Kind)
            {
                case StepKind.Add or StepKind.AddAsSet or StepKind.AddAsSpan or StepKind.AddAsList: model.UnionWith(Addresses); break;
                case StepKind.Remove or StepKind.RemoveAsSet or StepKind.RemoveAsList: model.ExceptWith(Addresses); break;
                case StepKind.IntersectWith: model.IntersectWith(Addresses); break;
                case StepKind.ComplementWithin:
                    var outside = Addresses;
                    outside.ExceptWith(model);
                    model.Clear();
                    model.UnionWith(outside);
                    break;
                default: model.Clear(); break;
            }
        }
    }

    private static Gen<Step> Steps { get; } =
        from kind in Gen.Frequency(
            (6, Gen.Constant(StepKind.Add)),
            (4, Gen.Constant(StepKind.Remove)),
            (1, Gen.Elements(StepKind.AddAsSet, StepKind.AddAsSpan, StepKind.AddAsList, StepKind.RemoveAsSet, StepKind.RemoveAsList, StepKind.IntersectWith, StepKind.ComplementWithin)),
            (1, Gen.Frequency((4, Gen.Constant(StepKind.Add)), (1, Gen.Constant(StepKind.Clear)))))
        from useCidr in Gen.Elements(false, true)
        from cidr in SmallCidr
        from range in SmallRange
        select new Step(kind, useCidr ? cidr : null, range);

    [Test]
    public void Adding_and_removing_in_any_order_agrees_with_applying_the_steps_to_the_model()
    {
        Check(Prop.ForAll(Gen.ArrayOf(Steps).ToArbitrary(), steps =>
        {
            var builder = CidrSet.CreateBuilder();
            var model = new HashSet<ModelAddress>();
            foreach (var step in steps)
            {
                step.ApplyTo(builder);
                step.ApplyTo(model);
            }

            var set = builder.ToSet();
            // A second ToSet after more steps must see the first one's content too: the builder goes on.
            return AddressModel.Members(set).SetEquals(model) && builder.ToSet() == set;
        }));
    }

    [Test]
    public void Removing_a_set_and_intersecting_in_the_builder_agree_with_the_set_operations()
    {
        var cases = Gen.Zip(Gen.Zip(SmallCidrList, SmallCidrList), Gen.Zip(SmallCidrList, SmallCidrList)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var ((listA, listB), (listLater, listRemovedLater)) = c;
            var (a, b) = (CidrSet.Create(listA), CidrSet.Create(listB));
            var (later, removedLater) = (CidrSet.Create(listLater), CidrSet.Create(listRemovedLater));
            var builder = CidrSet.CreateBuilder().Add(a).Remove(b).Intersect(a.Union(later));
            var expected = a.Except(b);
            var builtBefore = builder.ToSet();
            builder.Add(later).Remove(removedLater);
            return builtBefore == expected
                && builder.ToSet() == expected.Union(later).Except(removedLater)
                && AddressModel.Members(builtBefore).SetEquals(AddressModel.Expand(listA).Except(AddressModel.Expand(listB)));
        }));
    }

    [Test]
    public void The_complement_holds_exactly_the_addresses_the_set_does_not()
    {
        var cases = Gen.Zip(SmallCidrList, Gen.ArrayOf(Probe, 16)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var set = CidrSet.Create(c.Item1);
            var model = AddressModel.Expand(c.Item1);
            var complement = set.Complement();
            var built = CidrSet.CreateBuilder().Add(set).Complement().ToSet();
            return c.Item2.All(p => complement.Contains(new Cidr(p.IsIPv6, p.Bits, (byte)(p.IsIPv6 ? 128 : 32))) != model.Contains(p))
                && !complement.Overlaps(set)
                && complement.Union(set) == CidrSet.All
                && complement.Complement() == set
                && built == complement;
        }));
    }

    [Test]
    public void Set_overlap_agrees_with_the_model()
    {
        Check(Prop.ForAll(Gen.Zip(SmallCidrList, SmallCidrList).ToArbitrary(), c =>
        {
            var (a, b) = (CidrSet.Create(c.Item1), CidrSet.Create(c.Item2));
            var expected = AddressModel.Expand(c.Item1).Overlaps(AddressModel.Expand(c.Item2));
            return a.Overlaps(b) == expected && b.Overlaps(a) == expected && a.Overlaps(b) == !a.Intersect(b).IsEmpty;
        }));
    }

    [Test]
    public void Ranges_are_maximal_sorted_and_hold_exactly_the_set()
    {
        Check(Prop.ForAll(SmallCidrList.ToArbitrary(), cidrs =>
        {
            var set = CidrSet.Create(cidrs);
            var ranges = set.ToRanges();
            var members = new HashSet<ModelAddress>();
            foreach (var range in ranges)
            {
                members.UnionWith(AddressModel.Expand(range));
            }

            // Consecutive ranges of one family leave at least one address out between them: none could merge.
            var separated = ranges.Zip(ranges.Skip(1)).All(p => p.First.IsIPv6 != p.Second.IsIPv6 || p.First.LastBits + 1 < p.Second.FirstBits);
            var ipv4First = ranges.SkipWhile(r => r.IsIPv4).All(r => r.IsIPv6);
            return members.SetEquals(AddressModel.Expand(cidrs))
                && ranges.Length == set.RangeCount
                && separated && ipv4First
                && ranges.All(set.Contains) && ranges.All(set.Overlaps);
        }));
    }

    [Test]
    public void A_range_cuts_into_its_unique_minimal_cover()
    {
        Check(Prop.ForAll(SmallRange.ToArbitrary(), range =>
        {
            var cidrs = range.ToCidrs();
            var model = AddressModel.Expand(range);
            return AddressModel.Expand(cidrs).SetEquals(model)
                && AddressModel.MaximalBlocks(model).SetEquals(cidrs)
                && cidrs.Length == AddressModel.MaximalBlocks(model).Count
                && cidrs.SequenceEqual(cidrs.Order())
                && CidrSet.CreateBuilder().Add(range).ToSet().ToRanges().SequenceEqual([range]);
        }));
    }

    [Test]
    public void Range_containment_and_overlap_agree_with_the_model()
    {
        var cases = Gen.Zip(Gen.Zip(SmallCidrList, SmallRange), Gen.ArrayOf(Probe, 8)).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var ((cidrs, range), probes) = c;
            var set = CidrSet.Create(cidrs);
            var model = AddressModel.Expand(cidrs);
            var inRange = AddressModel.Expand(range);
            return set.Contains(range) == inRange.IsSubsetOf(model)
                && set.Overlaps(range) == inRange.Overlaps(model)
                && probes.All(p => range.Contains(new Cidr(p.IsIPv6, p.Bits, (byte)(p.IsIPv6 ? 128 : 32)).BaseAddress) == inRange.Contains(p))
                && cidrs.All(cidr => range.Overlaps(cidr.ToRange()) == inRange.Overlaps(AddressModel.Expand([cidr])));
        }));
    }
}
