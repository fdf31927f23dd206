import Foundation

/// How long each stage of a command took (`train --timings`): marks taken in order, each stage
/// the wall time since the mark before it (or since the timer was made).
struct StageTimer {
    private var last = Date()
    private(set) var stages: [(name: String, seconds: Double)] = []

    /// Ends the stage called `name` now.
    mutating func mark(_ name: String) {
        let now = Date()
        stages.append((name, now.timeIntervalSince(last)))
        last = now
    }

    /// "Timings: load 0.012 s, setup 0.001 s, … (total 0.120 s)."
    var line: String {
        let parts = stages.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }
        return "Timings: \(parts.joined(separator: ", ")) (total \(String(format: "%.3f", total)) s)."
    }

    /// Every stage's seconds by name, and the total.
    var json: [String: Double] {
        Dictionary(stages.map { ($0.name, $0.seconds) } + [("total", total)], uniquingKeysWith: { $0 + $1 })
    }

    private var total: Double { stages.reduce(0) { $0 + $1.seconds } }
}
