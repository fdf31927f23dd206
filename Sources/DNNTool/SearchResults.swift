import CSV
import DNN
import Foundation

/// A candidate of a search and what its last round gave it.
struct SearchEntry {
    /// Its place in the grid or the random draws, from 0.
    let index: Int
    let settings: [(flag: String, value: String)]
    /// The last round it was scored in (0 without halving) and on how many examples.
    var round = 0
    var examples = 0
    var outcome = CandidateOutcome()
}

/// The candidates of a search, ranked: those that reached the last round first, then by the
/// score ranked by (better first), failures last, ties in the candidates' order (as
/// scikit-learn's `rank_test_score`, which breaks ties by order too).
struct SearchResults {
    let entries: [SearchEntry]
    /// The task's score names (`ModelEvaluation.scoreNames`) and the one ranked by.
    let names: [String]
    let scoring: Int

    /// The entries, best first.
    var ranked: [SearchEntry] {
        let sign = ModelEvaluation.higherIsBetter(names[scoring]) ? 1.0 : -1.0
        func key(_ e: SearchEntry) -> Double {
            guard e.outcome.failure == nil, let mean = e.outcome.means[scoring], !mean.isNaN else { return -.infinity }
            return sign * mean
        }
        return entries.sorted { a, b in
            if a.round != b.round { return a.round > b.round }
            // A candidate that ran, even with an undefined score, before one that failed.
            if (a.outcome.failure == nil) != (b.outcome.failure == nil) { return a.outcome.failure == nil }
            if key(a) != key(b) { return key(a) > key(b) }
            return a.index < b.index
        }
    }

    /// The best candidate, unless every one failed.
    var best: SearchEntry? { ranked.first.flatMap { $0.outcome.failure == nil ? $0 : nil } }

    private func format(_ outcome: CandidateOutcome, _ score: Int) -> String {
        guard outcome.failure == nil, let mean = outcome.means[score] else { return "-" }
        return String(format: "%.4f ± %.4f", mean, outcome.deviations[score] ?? 0)
    }

    /// The table: rank, the scores (mean ± standard deviation over the folds), seconds, and the
    /// candidate's settings (or why it failed); with halving, the round reached and its examples.
    func table(halving: Bool) -> [[String]] {
        let scoreColumns = [names[scoring]] + names.indices.filter { $0 != scoring }.map { names[$0] }
        var rows = [["rank"] + (halving ? ["round", "examples"] : []) + scoreColumns + ["seconds", "candidate"]]
        let order = [scoring] + names.indices.filter { $0 != scoring }
        for (place, entry) in ranked.enumerated() {
            let described = SearchSpace.describe(entry.settings)
            rows.append(
                ["\(place + 1)"] + (halving ? ["\(entry.round + 1)", "\(entry.examples)"] : [])
                    + order.map { format(entry.outcome, $0) }
                    + [String(format: "%.2f", entry.outcome.seconds)]
                    + [entry.outcome.failure.map { "\(described): \($0)" } ?? described])
        }
        return rows
    }

    /// One JSON object per candidate, best first: rank, index, settings, round, examples, each
    /// score's mean and std, seconds, error (null when it ran).
    func candidatesJSON() -> [[String: Any]] {
        return ranked.enumerated().map { place, entry in
            var scores = [String: Any]()
            for (i, name) in names.enumerated() {
                scores[name] = [
                    "mean": jsonNumber(entry.outcome.means[i]), "std": jsonNumber(entry.outcome.deviations[i]),
                ]
            }
            return [
                "rank": place + 1, "index": entry.index,
                "settings": Dictionary(entry.settings.map { ($0.flag, $0.value) }, uniquingKeysWith: { $1 }),
                "round": entry.round + 1, "examples": entry.examples, "scores": scores,
                "seconds": entry.outcome.seconds, "error": entry.outcome.failure ?? NSNull(),
            ]
        }
    }

    /// The ranking as CSV: rank, index, round, examples, a column per flag searched, each score's
    /// mean and std, seconds, error.
    func csv() throws -> Data {
        let flags = entries.first?.settings.map(\.flag) ?? []
        let csv = try CSVWriter(stream: OutputStream(toMemory: ()))
        try csv.write(
            row: ["rank", "index", "round", "examples"] + flags + names.flatMap { ["\($0)_mean", "\($0)_std"] }
                + ["seconds", "error"])
        func text(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        for (place, entry) in ranked.enumerated() {
            try csv.write(
                row: ["\(place + 1)", "\(entry.index)", "\(entry.round + 1)", "\(entry.examples)"]
                    + entry.settings.map(\.value)
                    + names.indices.flatMap { [text(entry.outcome.means[$0]), text(entry.outcome.deviations[$0])] }
                    + [String(format: "%.3f", entry.outcome.seconds), entry.outcome.failure ?? ""])
        }
        csv.stream.close()
        return (csv.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()) + Data("\n".utf8)
    }
}
