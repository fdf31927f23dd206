import DNN
import Foundation

extension Search {
    /// Prints the ranking (a table, or one JSON object), trains the best candidate on all the
    /// data with --output, and writes --results; on rank 0 alone under MPI.
    func report(_ results: SearchResults, shared: [String], console: Console, seconds: Double, rank: Int) throws {
        guard rank == 0 else { return }
        guard let best = results.best else {
            if !json { printTable(results.table(halving: halving)) }
            throw DNNError("every candidate failed; the first: \(results.entries.first?.outcome.failure ?? "-")")
        }
        let scoreName = results.names[results.scoring]
        let bestScore = best.outcome.means[results.scoring].map { String(format: "%.4f", $0) } ?? "-"
        if !json {
            console.line("")
            printTable(results.table(halving: halving))
            console.line("")
            // The preset the search fixed for every candidate is part of what was scored.
            let fixed =
                common.contains("--preset")
                ? "" : shared.lastIndex(of: "--preset").map { " --preset \(shared[$0 + 1])" } ?? ""
            console.line("Best: \(SearchSpace.describe(best.settings))\(fixed) (\(scoreName) \(bestScore)).")
            console.line(String(format: "Searched %d candidates in %.1f s.", results.entries.count, seconds))
        }
        var refit: Any = NSNull()
        if let output { refit = try train(best, shared: shared, output: output) }
        if let path = self.results { try writeFileAtomically(try results.csv(), to: path) }
        if json {
            let object: [String: Any] = [
                "scoring": scoreName, "candidates": results.candidatesJSON(), "seconds": seconds,
                "best": results.candidatesJSON().first ?? NSNull(), "halving": halving, "refit": refit,
            ]
            FileHandle.standardOutput.write(
                try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) + Data("\n".utf8))
        } else if let path = self.results {
            console.line("Results written to \(path).")
        }
    }

    /// `dnn train` with the `shared` options and `best`'s settings on all the data, writing the
    /// model to `output`: its own lines shown, or with --json its summary returned.
    private func train(_ best: SearchEntry, shared: [String], output: String) throws -> Any {
        let arguments =
            ["train"] + Self.trainingOptions(shared) + SearchSpace.arguments(best.settings) + ["--output", output]
            + (json ? ["--json"] : [])
        if !json {
            print("\nTraining the best candidate on all the data:")
            fflush(nil)
        }
        let (status, printed, errors) = CandidateRunner.runChild(arguments, captureOutput: json)
        let lines = String(decoding: errors, as: UTF8.self).split(separator: "\n").map(String.init)
        guard status == 0 else {
            throw DNNError("training the best candidate: \(lines.last ?? "exit status \(status)")")
        }
        // Its warnings (the model may not have learned) are the user's to see; --json has them.
        if !json {
            for line in lines where line.hasPrefix("dnn: warning: ") {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
        return json ? (try? JSONSerialization.jsonObject(with: printed)) ?? NSNull() : NSNull()
    }

    /// The shared options without those of the cross-validation alone (the folds), for `train`.
    static func trainingOptions(_ arguments: [String]) -> [String] {
        let crossValidationOnly = [
            "--folds", "--repeats", "--split-seed", "--only-folds", "--examples", "--folds-output",
        ]
        var kept = [String](), skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if crossValidationOnly.contains(argument) {
                skipNext = true
            } else if !crossValidationOnly.contains(where: { argument.hasPrefix($0 + "=") }) {
                kept.append(argument)
            }
        }
        return kept
    }
}
