use super::*;

const WRK: &str = "Running 1s test @ http://127.0.0.1:18080/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   206.37us  343.49us   4.46ms   97.04%
    Req/Sec    96.33k    15.85k  110.26k    81.82%
  Latency Distribution
     50%  146.00us
     75%  180.00us
     90%  214.00us
     99%    2.24ms
  104964 requests in 1.10s, 14.92MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:  95410.46
Transfer/sec:     13.56MB
";

#[test]
fn reads_wrk() {
    let r = parse_wrk(WRK).expect("parse");
    assert_eq!(r.throughput, 95410.46);
    assert_eq!(r.ok, 104960);
    assert_eq!(r.latency.p50, Some(146.0));
    assert_eq!(r.latency.p99, Some(2240.0));
    assert_eq!(r.latency.max, Some(4460.0));
    assert!((r.latency.mean.unwrap_or(0.0) - 206.37).abs() < 1e-9);
    assert_eq!(r.spectrum.len(), 4);
    assert_eq!(r.errors.get("timeout"), Some(&3));
    assert_eq!(r.errors.get("io"), Some(&2));
    assert_eq!(r.errors.get("status:non-2xx"), Some(&4));
    assert!((r.shape.duration_s - 1.1).abs() < 1e-9);
    assert!(parse_wrk("garbage").is_none());
}

#[test]
fn reads_redis_benchmark_csv() {
    let csv = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"
\"SET\",\"93457.95\",\"0.106\",\"0.024\",\"0.103\",\"0.191\",\"0.311\",\"1.183\"
\"GET\",\"86956.52\",\"0.106\",\"0.032\",\"0.103\",\"0.175\",\"0.295\",\"0.543\"
";
    let r = parse_redis_benchmark(csv, "get").expect("parse");
    assert_eq!(r.throughput, 86956.52);
    assert!((r.latency.p99.unwrap_or(0.0) - 295.0).abs() < 1e-6);
    assert_eq!(r.spectrum.len(), 4);
    assert_eq!(r.latency.p90, None);
    assert!(parse_redis_benchmark(csv, "lpush").is_none());
}
