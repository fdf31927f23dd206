import Foundation

/// The rounds of a successive-halving search, as scikit-learn's `HalvingGridSearchCV` plans them
/// with its resource `n_samples` and `min_resources="exhaust"`: every candidate is scored on few
/// examples, the best 1/factor of them go on to factor times as many, until one round is left.
///
/// With n candidates: rounds = 1 + ⌊log_factor n⌋; the first round's examples
/// r₀ = max(smallest, m / factor^(rounds−1)) (integer division), round i's rᵢ = min(m, r₀·factorⁱ);
/// when r₀ is clamped up, fewer rounds fit (1 + ⌊log_factor(m / r₀)⌋) and the search stops early
/// as scikit-learn does without `aggressive_elimination`. After round i, ⌈candidates / factor⌉ stay.
public struct SuccessiveHalving: Equatable, Sendable {
    /// The examples each round scores its candidates on.
    public let examples: [Int]
    /// How many candidates each round scores.
    public let candidates: [Int]

    /// The plan for `candidates` candidates on `m` examples; `smallest` is the fewest examples a
    /// round may use (scikit-learn's 2 · folds · classes for a classifier, 2 · folds otherwise).
    public init(candidates n: Int, examples m: Int, factor: Int = 3, smallest: Int) {
        precondition(n >= 1 && factor >= 2 && m >= 1 && smallest <= m, "a halving plan needs smallest ≤ m")
        // ⌊log_factor x⌋ as scikit-learn computes it, log(x) / log(factor) in floating point: so
        // 243 candidates with factor 3 plan 5 rounds there (log(243, 3) = 4.999…), and here too.
        func floorLog(_ x: Int) -> Int { Int((log(Double(x)) / log(Double(factor))).rounded(.down)) }
        let required = 1 + floorLog(n)
        var scale = 1
        for _ in 1..<required { scale *= factor }
        let first = max(smallest, m / scale)
        let possible = 1 + floorLog(m / max(first, 1))
        let rounds = min(required, possible)
        var examples = [Int](), candidates = [Int]()
        var resource = first, left = n
        for _ in 0..<rounds {
            examples.append(min(resource, m))
            candidates.append(left)
            resource *= factor
            left = (left + factor - 1) / factor
        }
        self.examples = examples
        self.candidates = candidates
    }

    /// One round: all `n` candidates on all `m` examples (a search without halving).
    public init(everyCandidate n: Int, examples m: Int) {
        examples = [m]
        candidates = [n]
    }
}
