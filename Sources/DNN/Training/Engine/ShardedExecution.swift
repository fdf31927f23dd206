import Foundation

/// One process of a distributed job: it holds a contiguous shard of the M examples, runs the
/// serial work on the batch's examples its shard holds, and adds every shard's gradient sums and
/// loss together (an allreduce) before the step, so that every process takes the step the whole
/// batch gives. The gradients are scaled by the M (or the batch's size) of all shards; L2 is
/// added once, after the sum. Mini-batches come from one shuffle of all M examples, each process
/// keeping its own; dropout's masks are drawn for the whole batch, each process keeping its
/// columns. Batch normalisation's statistics are summed over the shards in the passes
/// (`ShardStatistics`); a shard without examples of a batch joins those sums too. Direct path only.
final class ShardedExecution<Scalar: EngineScalar>: BatchExecution {
    let serial: SerialExecution<Scalar>
    let communicator: Communicator
    /// The examples this process holds, of all processes'.
    let shard: Range<Int>
    /// Full batches: the places of this shard's examples in the batch of all of them.
    private let places: UnsafeMutableBufferPointer<Int>

    init(serial: SerialExecution<Scalar>, communicator: Communicator, shard: Range<Int>) {
        (self.serial, self.communicator, self.shard) = (serial, communicator, shard)
        serial.loop.workspace.normalization.reduction = ShardStatistics(communicator: communicator)
        places = .allocate(capacity: serial.shuffle == nil ? shard.count : 0)
        for j in 0..<places.count { places[j] = shard.lowerBound + j }
    }

    deinit { places.deallocate() }

    var columnParts: Int { 1 }

    /// The examples of the batch this shard holds, gathered in the batch's order.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func gather(_ places: Range<Int>) -> Int { serial.shuffle!.select(places, shard: shard) }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func lossAndGradients(_ batch: BatchView<Scalar>) -> Double {
        let kept = serial.shuffle?.positions.baseAddress ?? places.baseAddress!
        serial.loop.dropout.draw(
            examples: batch.gradientExamples, keeping: UnsafeBufferPointer(start: kept, count: batch.width))
        var loss = 0.0
        if batch.width > 0 {
            loss = serial.forwardAndBackward(batch)
        } else {
            // No example of this batch in this shard: it adds nothing to the sums.
            let workspace = serial.loop.workspace
            for index in 0..<workspace.layerCount {
                workspace.dW[index].update(repeating: 0)
                workspace.db[index].update(repeating: 0)
            }
            workspace.normalization.joinWithoutExamples(
                examples: batch.gradientExamples, scale: 1 / batch.gradientWeight)
        }
        loss = sumOverShards(loss)
        serial.addL2(weight: batch.gradientWeight)
        return loss
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, rate: Double) { serial.step(batch, rate: rate) }

    /// Adds every shard's gradient sums (already over the m of all shards) and loss together;
    /// returns the loss. A failure ends the whole job with one line.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func sumOverShards(_ loss: Double) -> Double {
        var total = loss
        let workspace = serial.loop.workspace
        for index in 0..<workspace.layerCount {
            communicator.sumOrEndJob(workspace.dW[index].baseAddress!, count: workspace.dW[index].count)
            communicator.sumOrEndJob(workspace.db[index].baseAddress!, count: workspace.db[index].count)
        }
        communicator.sumOrEndJob(&total, count: 1)
        return total
    }
}

extension Communicator {
    /// `sum`, inside a training pass, where a failure cannot be handed back: it ends the whole job
    /// with one line naming this rank.
    func sumOrEndJob<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int) {
        do {
            try sum(values, count: count)
        } catch {
            FileHandle.standardError.write(Data("dnn: rank \(rank): \(error)\n".utf8))
            abort(status: 1)
        }
    }
}
