// How the engine does its work, in words: for `dnn bench`, the report and the model's training
// record. Each part describes itself; this puts the sentences together.

extension TrainingEngine {
    /// How the first layer's work with X is done, and why.
    var pathDescription: String {
        let split = columnParts > 1
        switch loop.first {
        case is DirectFirstLayer<Scalar>:
            return loop.first.summary
                + (split ? (exampleMajor ? ", each batch split by columns" : ", the examples split by columns") : "")
        default:
            return loop.first.summary
        }
    }

    /// How the work uses threads, one line per arrangement or heavy job.
    var parallelism: [String] {
        if threadsRefused {
            return ["the system refused \(plan.threads - 1) more threads: BLAS's own threads do the heavy work"]
        }
        if columnParts > 1 {
            return [
                "each batch's columns split into \(columnParts) parts, one thread each: "
                    + "forward and backward per part on one BLAS thread, gradients summed"
            ]
        }
        return loop.first.threadUse ?? ["every product on \(blasThreadCount()) BLAS threads"]
    }
}
