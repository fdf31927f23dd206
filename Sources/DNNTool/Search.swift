import ArgumentParser
import DNN
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search settings: cross-validate every candidate of a grid or a random draw, best first.",
        discussion: """
            Every option this command does not know is given to each candidate's `dnn cv`: the \
            data (--train, its columns), the folds (--folds, --repeats, --split-seed; --folds 5 \
            --only-folds 1 for one validation split) and the settings all candidates share. A \
            candidate's settings are any of train's flags, written without the dashes.

              dnn search --train penguins.csv --label-column species --standardize \\
                --grid "layers=8|16,8; learning-rate=0.01|0.001; l2=0|0.1" --output best.json
              dnn search --train data.csv --random 30 --halving \\
                --space "learning-rate=log:1e-4:1e-1; l2=0:1; layers=16|32|64"

            Candidates run as separate processes, --jobs at a time, each on one thread. Under \
            `mpirun -np N dnn search --distributed …`, rank r scores candidates r, r+N, … and \
            every rank gathers the scores: the result equals the one-process search's. \
            --halving spends the time as scikit-learn's HalvingGridSearchCV: every candidate on \
            few examples, the best third on three times as many, and so on. --output trains \
            the best candidate on all the data and writes the model.
            """)

    @Option(help: "The candidates: every combination of the flags' values, \"flag=a|b; flag=c|d\".")
    var grid: String?

    @Option(help: "Draw this many candidates from --space.")
    var random: Int?

    @Option(
        help: ArgumentHelp(
            "What --random draws from: \"flag=a|b; flag=low:high; flag=log:low:high; flag=int:low:high\".",
            discussion: "A list's values with equal chances, a range uniformly, log: log-uniformly, int: whole numbers."
        ))
    var space: String?

    @Option(help: "The seed of the random draws (default 0).")
    var searchSeed: UInt32?

    @Flag(help: "Successive halving: score all candidates on few examples, the best on more (resource: examples).")
    var halving = false

    @Option(help: "With --halving: the fraction kept after each round is 1/factor, the examples grow by factor (3).")
    var factor: Int?

    @Option(help: "The score ranked by: accuracy, macro_f1 or log_loss; r2, rmse or mae; subset_accuracy, …")
    var scoring: String?

    @Option(help: "How many candidates run at once. Default: the machine's cores (1 a process with --distributed).")
    var jobs: Int?

    @Flag(help: "Share the candidates among the processes of an MPI job (mpirun -np N dnn search --distributed …).")
    var distributed = false

    @Option(help: "Train the best candidate on all the data and write the model here.")
    var output: String?

    @Option(help: "Write every candidate's scores to this CSV file, best first.")
    var results: String?

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    @Argument(
        parsing: .allUnrecognized,
        help: ArgumentHelp(
            "cv's options for every candidate (--train, --folds, columns, shared settings).", valueName: "cv-options"))
    var common: [String] = []

    func validate() throws {
        guard (grid == nil) != (random == nil) else { throw ValidationError("give --grid or --random (with --space)") }
        if random != nil && space == nil { throw ValidationError("--random needs --space, the ranges to draw from") }
        if grid != nil && space != nil { throw ValidationError("--space goes with --random; --grid lists its values") }
        if let random, !(1...100_000).contains(random) {
            throw ValidationError("--random \(random): between 1 and 100000")
        }
        if let factor {
            guard halving else { throw ValidationError("--factor goes with --halving") }
            guard (2...1000).contains(factor) else { throw ValidationError("--factor \(factor): between 2 and 1000") }
        }
        if searchSeed != nil && random == nil { throw ValidationError("--search-seed goes with --random") }
        if let output, output == results { throw ValidationError("\(output): named for two outputs of this command") }
        // cv options that are the search's to set, or that every candidate would write at once.
        for flag in ["--examples", "--folds-output", "--threads", "--json"]
        where common.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") }) {
            throw ValidationError(
                "\(flag): not an option for every candidate (the search sets it, or each candidate would write it)")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): at least 1") }
    }

    func run() throws {
        let started = Date()
        let candidates = try self.candidates()
        let base = try Self.crossValidation(common, what: "")
        for (index, candidate) in candidates.enumerated() {
            _ = try Self.crossValidation(
                common + SearchSpace.arguments(candidate),
                what:
                    "\(grid != nil ? "--grid" : "--space"): candidate \(index + 1) (\(SearchSpace.describe(candidate))): "
            )
        }
        let inputs = [base.train].compactMap { $0 }
        for path in [output, results].compactMap({ $0 }) { try requireWritableOutput(path, inputs: inputs) }
        let whole = try Folding(
            base.train, data: base.data, weight: base.fit.weighting.sampleWeightColumn,
            source: base.train ?? "flower data"
        ).whole
        try CrossValidate.requireFolds(base.folds, in: whole)
        _ = try base.fit.weighting.weights(for: whole)  // a class weight naming no class, a bad weight column
        let names = ModelEvaluation.scoreNames(for: whole.task.kind)
        let scoringName = scoring ?? names[0]
        guard let scoringIndex = names.firstIndex(of: scoringName) else {
            throw ValidationError("--scoring \(scoringName): this task's scores are \(names.joined(separator: ", "))")
        }
        let classes = whole.task.kind == .classification ? whole.classesPresent.count : 1
        // scikit-learn's first round: 2 · folds · classes examples at least.
        if halving && 2 * base.folds * classes > whole.exampleCount {
            throw ValidationError(
                "--halving: its first round needs \(2 * base.folds * classes) examples (2 · folds · classes), "
                    + "more than the data's \(whole.exampleCount)")
        }
        let world: Communicator? = distributed ? try Communicator.world() : nil
        defer { world?.finish() }
        let console = Console(quiet: json, silent: (world?.rank ?? 0) != 0)
        // One preset for every candidate: a grid over --learning-rate must not switch a
        // candidate's preset (which a flag of the course's chooses when the preset is not given).
        var shared = common
        if base.fit.preset == nil, !(candidates.first ?? []).contains(where: { $0.0 == "preset" }) {
            let (preset, reason) = base.fit.chosenPreset(data: base.train)
            shared += ["--preset", preset.rawValue]
            if let reason, !json {
                console.note("preset \(preset) for \(reason), every candidate: \(preset.summary)")
            }
        }
        let plan =
            halving
            ? SuccessiveHalving(
                candidates: candidates.count, examples: whole.exampleCount, factor: factor ?? 3,
                smallest: 2 * base.folds * classes)
            : SuccessiveHalving(everyCandidate: candidates.count, examples: whole.exampleCount)
        var entries = candidates.enumerated().map { SearchEntry(index: $0, settings: $1) }
        var alive = Array(entries.indices)
        for (round, examples) in plan.examples.enumerated() {
            if round > 0 {
                let ranked = SearchResults(entries: alive.map { entries[$0] }, names: names, scoring: scoringIndex)
                    .ranked
                alive = ranked.prefix(plan.candidates[round]).map(\.index)
            }
            let subsample = examples < whole.exampleCount ? ["--examples", "\(examples)"] : []
            let outcomes = try scoreRound(
                alive.map { SearchSpace.arguments(entries[$0].settings) + subsample }, shared: shared, world: world
            ) { place, outcome in
                console.progressLine(
                    progress(
                        entries[alive[place]], outcome, round: plan.examples.count > 1 ? round : nil, names,
                        scoringIndex))
            }
            for (place, index) in alive.enumerated() {
                entries[index].round = round
                entries[index].examples = examples
                entries[index].outcome = outcomes[place]
            }
        }
        let searchResults = SearchResults(entries: entries, names: names, scoring: scoringIndex)
        try report(
            searchResults, shared: shared, console: console, seconds: Date().timeIntervalSince(started),
            rank: world?.rank ?? 0)
    }

    /// The candidates' settings: the grid's combinations or the random draws, checked for flags
    /// that are the search's own or already given to every candidate.
    private func candidates() throws -> [[(String, String)]] {
        let option = grid != nil ? "--grid" : "--space"
        let space = try SearchSpace(grid ?? space!, option: option, ranges: grid == nil)
        let reserved = [
            "train", "folds", "repeats", "split-seed", "only-folds", "examples", "folds-output", "json", "threads",
        ]
        for (flag, _) in space.dimensions {
            guard !reserved.contains(flag) else {
                throw ValidationError(
                    "\(option): \(flag) is the same for every candidate; give --\(flag) to search itself")
            }
            guard !common.contains(where: { $0 == "--\(flag)" || $0.hasPrefix("--\(flag)=") }) else {
                throw ValidationError("\(option): --\(flag) is also given to every candidate; give it in one place")
            }
        }
        // Counted before they are made: a grid's combinations multiply.
        if grid != nil && space.gridCount > 100_000 {
            throw ValidationError(
                "\(option): \(space.gridCount == Int.max ? "more than 2⁶³" : "\(space.gridCount)") candidates; at most 100000"
            )
        }
        let candidates = grid != nil ? space.grid : space.random(random!, seed: searchSeed ?? 0)
        return candidates
    }

    /// `dnn cv`'s reading of `arguments`, or its complaint as one usage line starting with `what`.
    static func crossValidation(_ arguments: [String], what: String) throws -> CrossValidate {
        do {
            return try CrossValidate.parse(arguments)
        } catch {
            let message = CrossValidate.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw ValidationError(what + message)
        }
    }

    /// Scores one round's candidates, each with the `shared` options: here, `jobs` at a time, or shared among an MPI job's
    /// processes, every process then holding every outcome.
    private func scoreRound(
        _ candidates: [[String]], shared: [String], world: Communicator?,
        finished: @escaping (Int, CandidateOutcome) -> Void
    ) throws -> [CandidateOutcome] {
        let size = world?.size ?? 1, rank = world?.rank ?? 0
        let mine = candidates.indices.filter { $0 % size == rank }
        let runner = CandidateRunner(
            common: shared, jobs: jobs ?? (world == nil ? ProcessInfo.processInfo.activeProcessorCount : 1))
        let outcomes = runner.run(mine.map { candidates[$0] }) { place, outcome in finished(mine[place], outcome) }
        guard let world, size > 1 else { return outcomes }
        var packed = [Double](repeating: 0, count: candidates.count * CandidateOutcome.packedCount)
        for (place, index) in mine.enumerated() {
            packed.replaceSubrange(
                index * CandidateOutcome.packedCount..<(index + 1) * CandidateOutcome.packedCount,
                with: outcomes[place].packed())
        }
        try packed.withUnsafeMutableBufferPointer { try world.sum($0.baseAddress!, count: $0.count) }
        return candidates.indices.map { index in
            if let place = mine.firstIndex(of: index) { return outcomes[place] }
            let start = index * CandidateOutcome.packedCount
            return CandidateOutcome(packed: packed[start..<start + CandidateOutcome.packedCount])
        }
    }

    private func progress(
        _ entry: SearchEntry, _ outcome: CandidateOutcome, round: Int?, _ names: [String], _ scoring: Int
    ) -> String {
        let head = "candidate \(entry.index + 1)" + (round.map { ", round \($0 + 1)" } ?? "") + ": "
        let settings = SearchSpace.describe(entry.settings)
        if let failure = outcome.failure { return head + "\(settings): \(failure)" }
        let score = outcome.means[scoring].map { String(format: "%.4f", $0) } ?? "-"
        return head + "\(names[scoring]) \(score) in \(String(format: "%.2f", outcome.seconds)) s, \(settings)"
    }
}
