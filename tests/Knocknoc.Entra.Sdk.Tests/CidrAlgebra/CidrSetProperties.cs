using FsCheck;
using FsCheck.Fluent;
using Knocknoc.Entra.Sdk.CidrAlgebra;
using static Knocknoc.Entra.Sdk.Tests.CidrAlgebra.CidrGenerators;

namespace Knocknoc.Entra.Sdk.Tests.CidrAlgebra;

/// <summary>The set algebra against the naive explicit-address model, over thousands of seeded cases.</summary>
public class CidrSetProperties
{
    private static Arbitrary<Cidr[]> Lists => SmallCidrList.ToArbitrary();

    private static Arbitrary<(Cidr[] A, Cidr[] B)> Pairs => Gen.Zip(SmallCidrList, SmallCidrList).ToArbitrary();

    [Test]
    public void A_list_long_enough_to_be_radix_sorted_builds_the_union_of_its_members()
    {
        // Past 32 ranges a family is radix-sorted, a byte or an 11-bit digit a pass, with passes every key shares
        // skipped: any number of passes must leave the ranges in the list. The small universes share most bytes,
        // so these lists draw from the whole address space; the union of one-member sets (a merge, no sort) is the oracle.
        // Mostly hosts: a short prefix would swallow its neighbours and hide a misplaced range.
        var member = AnyCidr.SelectMany(c => Gen.Frequency((4, Gen.Constant(c.IsIPv6 ? 128 : 32)), (1, Gen.Choose(c.IsIPv6 ? 64 : 16, c.IsIPv6 ? 128 : 32))), (c, prefix) => new Cidr(c.BaseAddress, Math.Max(prefix, c.PrefixLength)));
        var lists = Gen.Choose(33, 200).SelectMany(n => Gen.ArrayOf(member, n)).ToArbitrary();
        Check(Prop.ForAll(lists, cidrs =>
        {
            var union = cidrs.Aggregate(CidrSet.Empty, (set, cidr) => set.Union(CidrSet.Create([cidr])));
            return CidrSet.Create(cidrs) == union && CidrSet.CreateBuilder().AddRange(cidrs.AsSpan()).ToSet() == union;
        }), maxTest: 300);
    }

    [Test]
    public void A_built_set_holds_exactly_the_addresses_of_its_input()
    {
        Check(Prop.ForAll(Lists, cidrs =>
            AddressModel.Members(CidrSet.Create(cidrs)).SetEquals(AddressModel.Expand(cidrs))));
    }

    [Test]
    public void The_cover_is_the_unique_minimal_exact_cover()
    {
        Check(Prop.ForAll(Lists, cidrs =>
        {
            var set = CidrSet.Create(cidrs);
            var cover = set.ToCidrs();
            var minimal = AddressModel.MaximalBlocks(AddressModel.Expand(cidrs));
            return cover.Length == minimal.Count
                && minimal.SetEquals(cover)
                && set.CidrCount == cover.Length
                && cover.SequenceEqual(cover.Order());
        }));
    }

    [Test]
    public void Union_intersect_and_except_agree_with_the_model()
    {
        Check(Prop.ForAll(Pairs, pair =>
        {
            var (a, b) = (CidrSet.Create(pair.A), CidrSet.Create(pair.B));
            var (modelA, modelB) = (AddressModel.Expand(pair.A), AddressModel.Expand(pair.B));
            return AddressModel.Members(a.Union(b)).SetEquals(modelA.Union(modelB))
                && AddressModel.Members(a.Intersect(b)).SetEquals(modelA.Intersect(modelB))
                && AddressModel.Members(a.Except(b)).SetEquals(modelA.Except(modelB))
                && a.IsSubsetOf(b) == modelA.IsSubsetOf(modelB)
                && a.SetEquals(b) == modelA.SetEquals(modelB);
        }));
    }

    [Test]
    public void Results_of_operations_are_normalised_like_a_fresh_build()
    {
        // Equality is a memory comparison of ranges, so every operation must produce the one canonical form.
        Check(Prop.ForAll(Pairs, pair =>
        {
            var (a, b) = (CidrSet.Create(pair.A), CidrSet.Create(pair.B));
            return Rebuilt(a.Union(b)) && Rebuilt(a.Intersect(b)) && Rebuilt(a.Except(b)) && Rebuilt(CidrSet.Diff(a, b).Added);
        }));

        static bool Rebuilt(CidrSet set)
        {
            var fresh = CidrSet.Create(set.ToCidrs());
            return set.RangeCount == fresh.RangeCount && set.SetEquals(fresh) && set.GetHashCode() == fresh.GetHashCode();
        }
    }

    [Test]
    public void Algebraic_laws_hold()
    {
        var triples = Gen.Zip(SmallCidrList, SmallCidrList, (a, b) => (a, b)).SelectMany(ab => SmallCidrList, (ab, c) => (ab.a, ab.b, c)).ToArbitrary();
        Check(Prop.ForAll(triples, t =>
        {
            var (a, b, c) = (CidrSet.Create(t.a), CidrSet.Create(t.b), CidrSet.Create(t.c));
            return a.Union(b) == b.Union(a)
                && a.Intersect(b) == b.Intersect(a)
                && a.Union(b).Union(c) == a.Union(b.Union(c))
                && a.Intersect(b).Intersect(c) == a.Intersect(b.Intersect(c))
                && a.Intersect(b.Union(c)) == a.Intersect(b).Union(a.Intersect(c))
                && a.Union(b.Intersect(c)) == a.Union(b).Intersect(a.Union(c))
                && a.Except(b.Union(c)) == a.Except(b).Intersect(a.Except(c))
                && a.Except(b) == a.Intersect(CidrSet.All.Except(b))
                && a.Union(a) == a && a.Intersect(a) == a && a.Except(a).IsEmpty
                && a.Union(CidrSet.Empty) == a && a.Intersect(CidrSet.All) == a
                && a.IsSubsetOf(a.Union(b)) && a.Intersect(b).IsSubsetOf(a)
                && a.IsSubsetOf(b) == (a.Union(b) == b);
        }));
    }

    [Test]
    public void Diff_applied_to_from_yields_to()
    {
        Check(Prop.ForAll(Pairs, pair =>
        {
            var (from, to) = (CidrSet.Create(pair.A), CidrSet.Create(pair.B));
            var diff = CidrSet.Diff(from, to);
            return from.Except(diff.Removed).Union(diff.Added) == to
                && diff.Added.Intersect(from).IsEmpty
                && diff.Removed.IsSubsetOf(from)
                && diff.Removed.Intersect(to).IsEmpty
                && diff.IsEmpty == (from == to);
        }));
    }

    [Test]
    public void Contains_agrees_with_the_model()
    {
        // Hosts, the set's own members, and networks that may lie partly in the set: whole networks, not only their ends.
        var cases = Gen.Zip(SmallCidrList, Gen.Zip(Gen.ArrayOf(Probe, 16), Gen.ArrayOf(SmallCidr, 8))).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var set = CidrSet.Create(c.Item1);
            var model = AddressModel.Expand(c.Item1);
            var (probes, networks) = c.Item2;
            return probes.All(p => set.Contains(new Cidr(p.IsIPv6, p.Bits, (byte)(p.IsIPv6 ? 128 : 32))) == model.Contains(p))
                && c.Item1.All(set.Contains)
                && networks.All(network => set.Contains(network) == AddressModel.Expand([network]).IsSubsetOf(model));
        }));
    }

    [Test]
    public void Overlaps_agrees_with_the_model()
    {
        var cases = Gen.Zip(SmallCidrList, SmallCidrList).ToArbitrary();
        Check(Prop.ForAll(cases, c =>
        {
            var set = CidrSet.Create(c.Item1);
            var model = AddressModel.Expand(c.Item1);
            return c.Item2.All(probe => set.Overlaps(probe) == AddressModel.Expand([probe]).Overlaps(model));
        }));
    }

    [Test]
    public void Building_is_independent_of_input_order_and_duplicates()
    {
        var cases = SmallCidrList.SelectMany(list => Gen.Shuffle(list.Concat(list.Take(list.Length / 2))), (list, shuffled) => (list, shuffled)).ToArbitrary();
        Check(Prop.ForAll(cases, c => CidrSet.Create(c.list) == CidrSet.Create(c.shuffled)));
    }
}
