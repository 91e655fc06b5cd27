//! The deployment recipes' wiring, from their text: the Kubernetes Jobs
//! (deploy/k8s/), the Slurm batch scripts (deploy/slurm/) and the
//! Dockerfile.
//!
//! Why a test of text: the Kubernetes manifests are not run against a
//! cluster here, and a container engine may be missing, so a shard count
//! set in one place and not the other, a merge reading another folder than
//! the shards write, or a runtime image that runs as root would otherwise
//! only show on someone's cluster. scripts/slurm-check.sh runs the Slurm
//! recipe for real; this test catches the same mistakes without Slurm.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every document of a YAML file.
fn documents(path: &str) -> Vec<Yaml> {
    YamlLoader::load_from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The node at a dotted key path (`spec.template.spec`), or a panic that
/// names the path: a missing key must fail the test, not read as empty.
fn at<'a>(node: &'a Yaml, path: &str) -> &'a Yaml {
    let mut here = node;
    for key in path.split('.') {
        here = &here[key];
        assert!(!here.is_badvalue(), "no `{path}` (missing at `{key}`)");
    }
    here
}

fn text<'a>(node: &'a Yaml, path: &str) -> &'a str {
    at(node, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not a string: {:?}", at(node, path)))
}

fn int(node: &Yaml, path: &str) -> i64 {
    at(node, path)
        .as_i64()
        .unwrap_or_else(|| panic!("`{path}` is not an integer: {:?}", at(node, path)))
}

fn list<'a>(node: &'a Yaml, path: &str) -> &'a [Yaml] {
    at(node, path)
        .as_vec()
        .unwrap_or_else(|| panic!("`{path}` is not a list: {:?}", at(node, path)))
}

fn strings(node: &Yaml, path: &str) -> Vec<String> {
    list(node, path)
        .iter()
        .map(|v| match v {
            Yaml::String(s) => s.clone(),
            Yaml::Integer(i) => i.to_string(),
            other => panic!("`{path}` holds a non-scalar: {other:?}"),
        })
        .collect()
}

/// The one document of a kind in a manifest file.
fn kind<'a>(docs: &'a [Yaml], kind: &str) -> &'a Yaml {
    let found: Vec<&Yaml> = docs
        .iter()
        .filter(|d| d["kind"].as_str() == Some(kind))
        .collect();
    assert_eq!(found.len(), 1, "want one {kind}, found {}", found.len());
    found[0]
}

/// The Job's one container (the recipes run one each).
fn container(job: &Yaml) -> &Yaml {
    let containers = list(job, "spec.template.spec.containers");
    assert_eq!(containers.len(), 1, "one container per pod");
    &containers[0]
}

/// The value given after `flag` in a command's arguments.
fn flag_value<'a>(args: &'a [String], flag: &str) -> &'a str {
    let i = args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("no {flag} in {args:?}"));
    args.get(i + 1)
        .unwrap_or_else(|| panic!("{flag} without a value in {args:?}"))
}

/// A container's env entry by name.
fn env<'a>(container: &'a Yaml, name: &str) -> &'a Yaml {
    list(container, "env")
        .iter()
        .find(|e| e["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no env {name}"))
}

/// The pod volume that `mount_path` (where it is mounted, or a folder
/// under it) lies on in the Job's container.
fn volume_at<'a>(job: &'a Yaml, mount_path: &str) -> &'a Yaml {
    let mount = list(container(job), "volumeMounts")
        .iter()
        .find(|m| {
            m["mountPath"].as_str().is_some_and(|at| {
                mount_path == at
                    || mount_path.starts_with(&format!("{}/", at.trim_end_matches('/')))
            })
        })
        .unwrap_or_else(|| panic!("nothing mounted at {mount_path}"));
    let name = text(mount, "name");
    list(job, "spec.template.spec.volumes")
        .iter()
        .find(|v| v["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("volume {name} (mounted at {mount_path}) is not declared"))
}

fn sweep_docs() -> Vec<Yaml> {
    documents("deploy/k8s/sweep-job.yaml")
}

fn merge_job() -> Yaml {
    let docs = documents("deploy/k8s/merge-job.yaml");
    kind(&docs, "Job").clone()
}

#[test]
fn sweep_job_is_indexed_with_one_shard_count() {
    let docs = sweep_docs();
    let job = kind(&docs, "Job");
    assert_eq!(text(job, "spec.completionMode"), "Indexed");
    let completions = int(job, "spec.completions");
    let parallelism = int(job, "spec.parallelism");
    assert!(
        (1..=completions).contains(&parallelism),
        "parallelism {parallelism} must be 1..=completions {completions}"
    );
    let c = container(job);
    let shards: i64 = text(env(c, "SHARDS"), "value")
        .parse()
        .expect("SHARDS is a number");
    assert_eq!(shards, completions, "SHARDS must equal completions");

    let args = strings(c, "args");
    assert_eq!(args[0], "sweep");
    assert_eq!(
        flag_value(&args, "--shard"),
        "$(JOB_COMPLETION_INDEX)/$(SHARDS)"
    );
    assert_eq!(
        text(
            env(c, "JOB_COMPLETION_INDEX"),
            "valueFrom.fieldRef.fieldPath"
        ),
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
    // Kubernetes leaves an undefined $(NAME) as it is: every reference in
    // the arguments must be an env entry of the container.
    for arg in &args {
        let mut rest = arg.as_str();
        while let Some(start) = rest.find("$(") {
            let end = rest[start..].find(')').expect("closed $(") + start;
            env(c, &rest[start + 2..end]);
            rest = &rest[end + 1..];
        }
    }
    assert_eq!(text(job, "spec.template.spec.restartPolicy"), "Never");
}

#[test]
fn shard_pods_run_as_many_simulations_as_cpus_requested() {
    let docs = sweep_docs();
    let c = container(kind(&docs, "Job"));
    let args = strings(c, "args");
    assert_eq!(flag_value(&args, "--jobs"), "$(OMNISIM_JOBS)");
    let jobs = env(c, "OMNISIM_JOBS");
    assert_eq!(
        text(jobs, "valueFrom.resourceFieldRef.resource"),
        "requests.cpu"
    );
    assert_eq!(
        text(jobs, "valueFrom.resourceFieldRef.containerName"),
        text(c, "name")
    );
    assert!(!at(c, "resources.requests.cpu").is_badvalue());
}

#[test]
fn merge_reads_the_folder_the_shards_write_on_the_same_claim() {
    let docs = sweep_docs();
    let claim = kind(&docs, "PersistentVolumeClaim");
    let claim_name = text(claim, "metadata.name");
    assert_eq!(strings(claim, "spec.accessModes"), ["ReadWriteMany"]);

    let sweep = kind(&docs, "Job");
    let out = flag_value(&strings(container(sweep), "args"), "--out").to_string();
    assert_eq!(
        text(volume_at(sweep, &out), "persistentVolumeClaim.claimName"),
        claim_name,
        "the shards' --out {out} must be on the claim"
    );

    let merge = merge_job();
    let args = strings(container(&merge), "args");
    assert_eq!(args[..4], ["merge", &out, "--out", &out]);
    assert_eq!(
        text(volume_at(&merge, &out), "persistentVolumeClaim.claimName"),
        claim_name,
        "the merge must read {out} from the same claim"
    );
    assert_eq!(text(&merge, "spec.template.spec.restartPolicy"), "Never");
}

#[test]
fn both_jobs_run_the_same_image_as_its_user() {
    let docs = sweep_docs();
    let sweep = kind(&docs, "Job");
    let merge = merge_job();
    for job in [sweep, &merge] {
        assert_eq!(strings(container(job), "command"), ["omnisim"]);
    }
    assert_eq!(
        text(container(sweep), "image"),
        text(container(&merge), "image")
    );
    // The pods run as the image's user, and fsGroup lets it write the
    // results volume.
    let uid = dockerfile_runtime_uid();
    for job in [sweep, &merge] {
        let security = at(job, "spec.template.spec.securityContext");
        assert_eq!(int(security, "runAsUser"), uid);
        assert_eq!(int(security, "fsGroup"), uid);
        assert_eq!(at(security, "runAsNonRoot").as_bool(), Some(true));
    }
}

/// The sweep file reaches the pods through a ConfigMap laid out as under
/// scenarios/, so its relative `base` resolves; the `kubectl create
/// configmap` line in the comments makes exactly those keys.
#[test]
fn sweep_file_and_its_base_come_from_the_config_map() {
    let manifest = read("deploy/k8s/sweep-job.yaml");
    let docs = sweep_docs();
    let job = kind(&docs, "Job");
    let args = strings(container(job), "args");
    let sweep_path = &args[1];
    let mount = "/scenarios";
    let inside = sweep_path
        .strip_prefix(&format!("{mount}/"))
        .unwrap_or_else(|| panic!("the sweep file {sweep_path} is not under {mount}"));
    let volume = volume_at(job, mount);
    let config_map = text(volume, "configMap.name");
    let items = list(volume, "configMap.items");
    let mut paths = BTreeSet::new();
    for item in items {
        let (key, path) = (text(item, "key"), text(item, "path"));
        assert_eq!(
            Some(key),
            Path::new(path).file_name().and_then(|n| n.to_str()),
            "key {key} is laid out as {path}"
        );
        assert!(
            repo(&format!("scenarios/{path}")).is_file(),
            "scenarios/{path} does not exist"
        );
        assert!(
            manifest.contains(&format!("--from-file=scenarios/{path}")),
            "the kubectl create configmap line does not add scenarios/{path}"
        );
        paths.insert(path.to_string());
    }
    assert!(
        manifest.contains(&format!("kubectl create configmap {config_map} ")),
        "the comments do not create the ConfigMap {config_map}"
    );
    assert!(paths.contains(inside), "{inside} is not in the ConfigMap");

    let sweep: toml::Table = read(&format!("scenarios/{inside}"))
        .parse()
        .expect("the sweep file parses");
    let base = sweep["base"].as_str().expect("base is a string");
    let mut resolved = PathBuf::from(inside);
    resolved.pop();
    for part in Path::new(base).components() {
        match part {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    let resolved = resolved.to_str().expect("UTF-8").to_string();
    assert!(
        paths.contains(&resolved),
        "the base {base} (scenarios/{resolved}) is not in the ConfigMap"
    );
}

/// A shell script's commands: comments and blank lines dropped,
/// backslash-continued lines joined.
fn commands(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for raw in script.lines() {
        let trimmed = raw.trim();
        if line.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                line.push_str(head);
                line.push(' ');
            }
            None => {
                line.push_str(trimmed);
                out.push(std::mem::take(&mut line));
            }
        }
    }
    out
}

/// sbatch reads `#SBATCH` lines only before the first command.
fn sbatch_directives(path: &str) -> Vec<String> {
    let script = read(path);
    assert!(script.starts_with("#!"), "{path} has no #! line");
    let mut directives = Vec::new();
    for line in script.lines().skip(1) {
        let trimmed = line.trim();
        if let Some(d) = trimmed.strip_prefix("#SBATCH") {
            directives.push(d.trim().to_string());
        } else if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            break;
        }
    }
    let all = script.matches("#SBATCH").count();
    assert_eq!(
        directives.len(),
        all,
        "{path}: an #SBATCH line after the first command is ignored by sbatch"
    );
    directives
}

/// The script's one command that runs `$OMNISIM <subcommand>`.
fn omnisim_call(path: &str, subcommand: &str) -> String {
    let calls: Vec<String> = commands(&read(path))
        .into_iter()
        .filter(|c| c.contains(&format!("$OMNISIM {subcommand} ")))
        .collect();
    assert_eq!(calls.len(), 1, "{path}: one `$OMNISIM {subcommand}`");
    calls[0].clone()
}

#[test]
fn slurm_array_runs_one_shard_per_task() {
    let path = "deploy/slurm/sweep.sbatch";
    let directives = sbatch_directives(path);
    let array = directives
        .iter()
        .find_map(|d| d.strip_prefix("--array=0-"))
        .unwrap_or_else(|| panic!("{path}: no #SBATCH --array=0-N"));
    let last: u32 = array.parse().expect("--array=0-N with a number N");
    assert!(last >= 1, "an array of one task is not a sharded sweep");
    assert!(directives.iter().any(|d| d.starts_with("--cpus-per-task=")));

    let call = omnisim_call(path, "sweep");
    assert!(call.contains(r#"sweep "$SWEEP" "#), "{call}");
    assert!(
        call.contains(r#"--shard "$SLURM_ARRAY_TASK_ID/$SHARDS""#),
        "{call}"
    );
    assert!(call.contains(r#"--out "$OUT""#), "{call}");
    assert!(
        call.contains(r#"--jobs "${SLURM_CPUS_PER_TASK:-1}""#),
        "{call}"
    );
    let script = read(path);
    assert!(
        script.contains(r#"SHARDS="$SLURM_ARRAY_TASK_COUNT""#),
        "SHARDS defaults to the array's task count"
    );
    for script in [&script, &read("deploy/slurm/merge.sbatch")] {
        assert!(script.contains(r#"OMNISIM="${OMNISIM:-omnisim}""#));
    }
}

#[test]
fn slurm_merge_reads_the_array_out_after_it_succeeds() {
    let call = omnisim_call("deploy/slurm/merge.sbatch", "merge");
    assert!(call.contains(r#"merge "$OUT" --out "$OUT""#), "{call}");
    assert!(!sbatch_directives("deploy/slurm/merge.sbatch")
        .iter()
        .any(|d| d.starts_with("--array")));
    // The same OUT default in the array and in submit.sh.
    let default = r#"results/$(basename "$SWEEP" .toml)"#;
    assert!(read("deploy/slurm/sweep.sbatch").contains(default));
    assert!(read("deploy/slurm/submit.sh").contains(default));

    let submit = commands(&read("deploy/slurm/submit.sh"));
    let sbatch: Vec<&String> = submit.iter().filter(|c| c.contains("sbatch ")).collect();
    assert_eq!(sbatch.len(), 2, "submit.sh submits the array and the merge");
    assert!(sbatch[0].contains(r#"--array="0-$((SHARDS - 1))""#));
    assert!(sbatch[0].contains("sweep.sbatch"));
    assert!(sbatch[1].contains(r#"--dependency="afterok:$array""#));
    assert!(sbatch[1].contains("merge.sbatch"));
    assert!(sbatch.iter().all(|c| c.contains("--parsable")));
}

/// The Dockerfile's instructions, continuation lines joined.
fn dockerfile() -> Vec<String> {
    commands(&read("Dockerfile"))
}

/// The instructions of the last stage (from its FROM).
fn runtime_stage() -> Vec<String> {
    let all = dockerfile();
    let start = all
        .iter()
        .rposition(|i| i.starts_with("FROM "))
        .expect("a FROM");
    all[start..].to_vec()
}

fn dockerfile_runtime_uid() -> i64 {
    let user = runtime_stage()
        .iter()
        .rev()
        .find_map(|i| i.strip_prefix("USER ").map(str::to_string))
        .expect("the runtime stage sets USER");
    let uid = user.split(':').next().unwrap_or_default();
    uid.parse().unwrap_or_else(|_| {
        panic!("USER {user}: give a numeric uid (Kubernetes checks runAsNonRoot by it)")
    })
}

#[test]
fn dockerfile_builds_in_one_stage_and_ships_only_the_binary() {
    let all = dockerfile();
    let froms: Vec<&String> = all.iter().filter(|i| i.starts_with("FROM ")).collect();
    assert_eq!(froms.len(), 2, "a builder stage and a runtime stage");
    assert!(froms[0].ends_with(" AS builder"), "{}", froms[0]);
    assert_eq!(all[0], *froms[0], "the builder comes first");
    assert!(all
        .iter()
        .any(|i| i.starts_with("RUN ") && i.contains("cargo build --release --locked")));

    let runtime = runtime_stage();
    let copies: Vec<&String> = runtime
        .iter()
        .filter(|i| i.starts_with("COPY ") || i.starts_with("ADD "))
        .collect();
    assert_eq!(copies.len(), 1, "the runtime stage copies only the binary");
    let parts: Vec<&str> = copies[0].split_whitespace().collect();
    assert_eq!(parts[1], "--from=builder");
    assert!(
        parts[2].ends_with("/target/release/omnisim"),
        "{}",
        copies[0]
    );
    assert_eq!(
        parts[3..],
        ["/usr/local/bin/omnisim"],
        "the binary goes on the PATH, where ENTRYPOINT and the Jobs find it"
    );
    assert!(dockerfile_runtime_uid() > 0, "the runtime user is not root");
    assert!(runtime.contains(&r#"ENTRYPOINT ["omnisim"]"#.to_string()));

    let ignore = read(".dockerignore");
    for excluded in ["target/", "results/", ".git"] {
        assert!(
            ignore.lines().any(|l| l.trim() == excluded),
            ".dockerignore does not exclude {excluded}"
        );
    }
}
