package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.pulse.local.PrometheusText.Sample;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PrometheusTextTest {

    private static final String EXPOSITION = """
            # HELP ecom_page_views_last_minute Page and product views (PV)
            # TYPE ecom_page_views_last_minute gauge
            ecom_page_views_last_minute{channel="organic",platform="app"} 1200.0
            ecom_page_views_last_minute{channel="search",platform="web"} 300.5

            ecom_page_views_last_minute{ channel = "paid_ads" , platform="web", } 1.5e2 1700000000000
            pulse_dead_letters_total{stream="click",reason="malformed_json"} 3
            pulse_dead_letters_total{stream="order",reason="malformed_json"} 1
            pulse_dead_letters_total{stream="order",reason="too_late"} 2
            odd_labels{quote="say \\"hi\\"",slash="a\\\\b",newline="x\\ny",comma="a,b}c"} -0.25
            process_start_time_seconds 1.7e9
            up_bounds{le="+Inf"} +Inf
            broken_gauge NaN
            # EOF
            """;

    @Test
    void readsEverySampleWithItsLabelsAndValue() {
        PrometheusText text = PrometheusText.parse(EXPOSITION);

        assertThat(text.samples()).hasSize(10);
        assertThat(text.samples().get(2)).isEqualTo(new Sample("ecom_page_views_last_minute",
                Map.of("channel", "paid_ads", "platform", "web"), 150.0));
        assertThat(text.samples().get(6)).isEqualTo(new Sample("odd_labels",
                Map.of("quote", "say \"hi\"", "slash", "a\\b", "newline", "x\ny", "comma", "a,b}c"), -0.25));
        assertThat(text.samples().get(7)).isEqualTo(new Sample("process_start_time_seconds", Map.of(), 1.7e9));
        assertThat(text.samples().get(8).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(text.samples().get(9).value()).isNaN();
    }

    @Test
    void sumsOverLabelsAndGroupsByOneLabel() {
        PrometheusText text = PrometheusText.parse(EXPOSITION);

        assertThat(text.sum("ecom_page_views_last_minute")).isEqualTo(OptionalDouble.of(1200.0 + 300.5 + 150.0));
        assertThat(text.sum("pulse_dead_letters_total")).isEqualTo(OptionalDouble.of(6.0));
        assertThat(text.sum("ecom_gmv_last_minute")).isEmpty();
        assertThat(text.sumBy("pulse_dead_letters_total", "reason"))
                .containsExactly(entry("malformed_json", 4.0), entry("too_late", 2.0));
        assertThat(text.sumBy("process_start_time_seconds", "reason")).containsExactly(entry("", 1.7e9));
        assertThat(text.sumBy("ecom_gmv_last_minute", "currency")).isEmpty();
    }

    @Test
    void namesTheLineThatIsNotASample() {
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na 1\nb{x=\"1\" 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 3: expected ',' or '}' at column 9: b{x=\"1\" 2");
        assertThatThrownBy(() -> PrometheusText.parse("a one"))
                .hasMessage("line 1: 'one' is not a sample value: a one");
        assertThatThrownBy(() -> PrometheusText.parse("{x=\"1\"} 2"))
                .hasMessage("line 1: no metric name: {x=\"1\"} 2");
    }
}
