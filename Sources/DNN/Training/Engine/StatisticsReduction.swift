import Foundation

/// How a batch's statistics are summed when its columns are split: each part (a thread's block of
/// columns, or a process's shard) sums its own columns, and every part needs the sums over the
/// whole batch before it can go on (batch normalisation's μ, σ² and backward sums). The
/// execution that splits a batch installs the reduction that joins its parts.
protocol StatisticsReduction: AnyObject {
    /// Replaces `values[0..<count]`, part `part`'s sums over its columns, by the sums over every
    /// part's, the same numbers in every part. Every part calls it the same number of times, in
    /// the same order.
    func sum(_ values: UnsafeMutablePointer<Double>, count: Int, part: Int)
}

/// One part holds the whole batch: its sums are the batch's.
final class WholeBatchStatistics: StatisticsReduction {
    func sum(_ values: UnsafeMutablePointer<Double>, count: Int, part: Int) {}
}

/// The column split's parts, one per thread: each publishes its sums and waits for the others;
/// then each adds every part's in the order of the parts (so all get the same rounding, which
/// depends only on the number of parts) and waits again before the sums are reused.
final class ThreadStatistics: StatisticsReduction {
    /// The parts taking part in this batch (fewer than the threads for a batch of few columns).
    var participants: Int
    private let published: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Each part's total, formed while the others may still read its published sums.
    private let totals: [UnsafeMutableBufferPointer<Double>]
    private let barrier: PartBarrier

    /// For up to `parts` parts and sums of up to `largest` values.
    init(parts: Int, largest: Int) {
        participants = parts
        published = .allocate(capacity: parts)
        published.initialize(repeating: nil, count: parts)
        totals = (0..<parts).map { _ in .allocateZeroed(largest) }
        barrier = PartBarrier()
    }

    deinit {
        published.deallocate()
        for buffer in totals { buffer.deallocate() }
    }

    func sum(_ values: UnsafeMutablePointer<Double>, count: Int, part: Int) {
        published[part] = values
        barrier.wait(participants: participants)
        let total = totals[part].baseAddress!
        for i in 0..<count {
            var sum = 0.0
            for other in 0..<participants { sum += published[other]![i] }
            total[i] = sum
        }
        barrier.wait(participants: participants)
        values.update(from: total, count: count)
    }
}

/// The shards of a distributed job: every process's sums added by an allreduce (a failure ends
/// the whole job, `Communicator.sumOrEndJob`).
final class ShardStatistics: StatisticsReduction {
    let communicator: Communicator

    init(communicator: Communicator) { self.communicator = communicator }

    func sum(_ values: UnsafeMutablePointer<Double>, count: Int, part: Int) {
        communicator.sumOrEndJob(values, count: count)
    }
}

/// Threads wait here until `participants` of them have arrived (a pthread mutex and condition
/// variable, made once: pthread barriers are missing on macOS).
final class PartBarrier {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var arrived = 0
    private var generation = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Returns once `participants` threads (this one among them) have called it in this round.
    func wait(participants: Int) {
        pthread_mutex_lock(mutex)
        arrived += 1
        if arrived >= participants {
            arrived = 0
            generation &+= 1
            pthread_cond_broadcast(condition)
        } else {
            let round = generation
            while generation == round { pthread_cond_wait(condition, mutex) }
        }
        pthread_mutex_unlock(mutex)
    }
}
