//! `layotto-perf`: see `perf/README.md`.

use std::process::ExitCode;

use clap::Parser;

use layotto_perf::cli::{
    parse_addr, parse_header, parse_url, Cli, Command, GrpcArgs, GrpcScenario, GrpcStreaming,
    LoadArgs, RespCommand,
};
use layotto_perf::measure::measure;
use layotto_perf::protocol::grpc::push::ConfigPush;
use layotto_perf::protocol::grpc::requests::Scenario;
use layotto_perf::protocol::grpc::Grpc;
use layotto_perf::protocol::http1::Http1;
use layotto_perf::protocol::resp::{self, Resp};
use layotto_perf::protocol::Protocol;
use layotto_perf::report::{json, svg, text, RunReport};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Http1(a) => http1(&a),
        Command::Resp(a) => resp_cmd(&a),
        Command::Grpc(a) => grpc(&a),
        Command::Suite(a) => layotto_perf::suite::run(&a).map(|_| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("layotto-perf: {e}");
            ExitCode::FAILURE
        }
    }
}

fn http1(a: &layotto_perf::cli::Http1Args) -> Result<ExitCode, String> {
    let url = parse_url(&a.url)?;
    let headers = a
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()?;
    let proto = Http1::new(&a.method, &url.path, &url.host, &headers, a.body.as_bytes());
    run_load(&proto, &a.load, url.addr, &a.url)
}

fn resp_cmd(a: &layotto_perf::cli::RespArgs) -> Result<ExitCode, String> {
    let addr = parse_addr(&a.addr, 6379)?;
    let command = match a.command {
        RespCommand::Ping => resp::Command::Ping,
        RespCommand::Get => resp::Command::Get,
        RespCommand::Set => resp::Command::Set,
    };
    let proto = Resp::new(command, &a.key, a.key_space, a.value_size);
    run_load(&proto, &a.load, addr, &a.addr)
}

fn grpc(a: &GrpcArgs) -> Result<ExitCode, String> {
    let url = parse_url(&a.url)?;
    if a.streaming == Some(GrpcStreaming::Push) {
        return run_load(&ConfigPush::new(&url.host), &a.load, url.addr, &a.url);
    }
    let scenario = a.scenario.map(|s| match s {
        GrpcScenario::Sayhello => Scenario::SayHello,
        GrpcScenario::Getstate => Scenario::GetState,
        GrpcScenario::Savestate => Scenario::SaveState,
        GrpcScenario::Subscribe => Scenario::Subscribe,
        GrpcScenario::Saveconfig => Scenario::SaveConfig,
    });
    // A unary call on the bidi method would half-close with its message,
    // and a subscription may end there before answering it.
    if scenario == Some(Scenario::Subscribe) && a.streaming != Some(GrpcStreaming::Bidi) {
        return Err("--scenario subscribe needs --streaming bidi".into());
    }
    let (messages, default_method) = match (&a.payload, scenario) {
        (Some(path), _) => {
            let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            (vec![raw.into()], None)
        }
        (None, Some(s)) => (s.messages(a.key_space), Some(s.method())),
        (None, None) => return Err("give --scenario or --payload".into()),
    };
    let method = a
        .method
        .as_deref()
        .or(default_method)
        .ok_or("--payload needs --method")?;
    if !method.starts_with('/') {
        return Err(format!(
            "--method {method:?} must be a path like /pkg.Service/Method"
        ));
    }
    let mut proto = Grpc::new(&url.host, method, &messages)?;
    if a.streaming == Some(GrpcStreaming::Bidi) {
        proto = proto.bidi(a.messages)?;
    }
    run_load(&proto, &a.load, url.addr, &a.url)
}

fn run_load<P: Protocol>(
    proto: &P,
    args: &LoadArgs,
    addr: std::net::SocketAddr,
    target: &str,
) -> Result<ExitCode, String> {
    let spec = args.spec(addr);
    let label = args.label.clone().unwrap_or_else(|| target.to_string());
    let report = measure(proto, &spec, &label, &args.pid).map_err(|e| e.to_string())?;
    print!("{}", text::summary(&report));
    write_outputs(&report, args)?;
    // No successful response at all is a failed run, whatever the reason.
    Ok(if report.ok == 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_outputs(report: &RunReport, args: &LoadArgs) -> Result<(), String> {
    if let Some(path) = &args.json {
        let body = format!("{}\n", json::run(report));
        std::fs::write(path, body).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.svg {
        let doc = svg::plot(
            &format!("{} latency by percentile", report.label),
            &[svg::Series {
                label: &report.label,
                points: &report.spectrum,
            }],
        );
        std::fs::write(path, doc).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
