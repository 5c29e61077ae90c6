package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.config.PulseSettings;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The metrics job as deployed builds without any type falling back to Kryo (generic types are disabled, so such a
 * type would fail here, at build time, rather than cost a slow serializer at run time), and every operator's uid
 * is its kebab-case name.
 */
class MetricsJobGraphTest {

    private static StreamExecutionEnvironment environment(Configuration conf) {
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    @Test
    void buildsWithGenericTypesDisabledAndUidsEqualToNames() {
        checkGraph(PulseSettings.from(Map.of()));
    }

    @Test
    void sketchModeBuildsTheSameWay() {
        checkGraph(PulseSettings.from(Map.of("pulse.users.sketch", "uv;mau")));
    }

    private static void checkGraph(PulseSettings settings) {
        StreamExecutionEnvironment env = environment(MetricsJob.flinkConfiguration(settings));
        MetricsJob.attach(env, settings);
        StreamGraph graph = env.getStreamGraph();
        assertThat(graph.getStreamNodes()).isNotEmpty();
        graph.getStreamNodes().forEach(node -> {
            // the sink API derives "Sink Committer: <uid>" and the like from the uid given
            if (node.getTransformationUID() != null && !node.getTransformationUID().contains(": ")) {
                assertThat(node.getTransformationUID()).matches("[a-z0-9]+(-[a-z0-9]+)*");
                assertThat(node.getOperatorName()).contains(node.getTransformationUID());
            }
        });
    }

    @Test
    void thePerVisitorOperatorsReadTheAdmittedStreamsWithoutAShuffle() {
        StreamGraph graph = defaultGraph();
        // operator -> the admission (or operator chained to it) it reads without a shuffle
        Map<String, String> admittedBy = Map.of("ads-partial", "admit-ad", "ad-counted-clicks", "admit-ad",
                "ad-last-clicks", "ad-counted-clicks", "order-ledger", "admit-order", "ad-attribution", "admit-order",
                "visitor-activity", "admit-click", "visitor-funnel", "funnel-click-steps");
        admittedBy.forEach((operator, admission) -> {
            StreamNode node = node(graph, operator);
            assertThat(node.getInEdges()).as(operator)
                    .filteredOn(in -> graph.getStreamNode(in.getSourceId()).getTransformationUID().equals(admission))
                    .singleElement()
                    .satisfies(in -> assertThat(in.getPartitioner()).as(operator)
                            .isInstanceOf(ForwardPartitioner.class));
        });
    }

    @Test
    void eachWindowsFinalValuesAreWrittenByOneSinkSubtaskWithoutAShuffle() {
        StreamGraph graph = defaultGraph();
        StreamNode sets = node(graph, "final-value-sets");
        StreamNode writer = graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals("sink-final-values: Writer")).findFirst().orElseThrow();
        assertThat(sets.getParallelism()).isEqualTo(1);
        assertThat(writer.getParallelism()).isEqualTo(1);
        assertThat(writer.getInEdges()).singleElement().satisfies(in -> {
            assertThat(in.getSourceId()).isEqualTo(sets.getId());
            assertThat(in.getPartitioner()).isInstanceOf(ForwardPartitioner.class);
        });
    }

    private static StreamGraph defaultGraph() {
        PulseSettings settings = PulseSettings.from(Map.of());
        StreamExecutionEnvironment env = environment(MetricsJob.flinkConfiguration(settings));
        MetricsJob.attach(env, settings);
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + uid));
    }

    @Test
    void aTypeThatNeedsKryoFailsTheBuild() {
        StreamExecutionEnvironment env = environment(MetricsJob.flinkConfiguration(PulseSettings.from(Map.of())));
        assertThatThrownBy(() -> {
            env.fromData(TypeInformation.of(new TypeHint<Optional<String>>() {}), Optional.of("x"))
                    .sinkTo(new DiscardingSink<>());
            env.getStreamGraph();
        }).hasStackTraceContaining("Generic types have been disabled");
    }
}
