import Testing

@testable import DNN

/// Successive halving plans its rounds as scikit-learn's `HalvingGridSearchCV` (resource
/// `n_samples`, `min_resources="exhaust"`): the expected plans are scikit-learn 1.x's
/// `n_resources_` and `n_candidates_`, printed by scripts/make-halving-references.py.
@Suite("Successive halving: scikit-learn's rounds")
struct HalvingTests {
    @Test(
        "examples and candidates per round",
        arguments: [
            (24, 344, 3, 30, [38, 114, 342], [24, 8, 3]),
            (8, 100, 3, 20, [33, 99], [8, 3]),
            (100, 1000, 3, 20, [20, 60, 180, 540], [100, 34, 12, 4]),
            (243, 100_000, 3, 8, [1234, 3702, 11106, 33318, 99954], [243, 81, 27, 9, 3]),
            (30, 60, 2, 12, [12, 24, 48], [30, 15, 8]),
            (1, 50, 3, 20, [50], [1]),
            (27, 569, 3, 20, [21, 63, 189, 567], [27, 9, 3, 1]),
        ])
    func plan(_ n: Int, _ m: Int, _ factor: Int, _ smallest: Int, _ examples: [Int], _ candidates: [Int]) {
        let plan = SuccessiveHalving(candidates: n, examples: m, factor: factor, smallest: smallest)
        #expect(plan.examples == examples)
        #expect(plan.candidates == candidates)
    }
}
