//! `diptych new DIR`: writes a small working bilingual site (English and Chinese) to start from.

use std::path::Path;

use crate::diag::Failure;

const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"base_url = "https://example.org/"
default_language = "en"
# Every language lives under its own prefix (/en/, /zh/) and the root is a language chooser.
default_language_prefix = true
# "Today" for review dates and the holiday calendar: the zone of the site's readers (see docs/content-format.md).
time_zone = "Asia/Shanghai"

[languages.en]
name = "English"
title = "My city guide"
description = "Public services, explained in plain words."

[languages.zh]
name = "中文"
title = "城市办事指南"
description = "用浅显的语言介绍公共服务。"
lang_tag = "zh-Hans"

# A search index and page per language (docs/search.md); `enabled = false` turns it off.
[search]
enabled = true
"#,
    ),
    (
        "content/_index.md",
        r#"+++
title = "My city guide"
description = "Public services, explained in plain words."
reviewed = 2026-01-01
+++

This guide explains public services in plain words. Start with [how to register your address](@/services/register.md).
"#,
    ),
    (
        "content/_index.zh.md",
        r#"+++
title = "城市办事指南"
description = "用浅显的语言介绍公共服务。"
reviewed = 2026-01-01

# Written by `diptych mark-translated`: the version of _index.md this page translates.
[translation]
source_hash = "v2-255153aa6d45b8ee"
+++

本指南用浅显的语言介绍公共服务。可以先看看[如何办理住址登记](@/services/register.md)。
"#,
    ),
    (
        "content/services/_index.md",
        r#"+++
title = "Services"
description = "Everything you can do, one page each."
sort_by = "weight"
reviewed = 2026-01-01
+++

Each page explains one service: who it is for, what to bring and where to go.
"#,
    ),
    (
        "content/services/_index.zh.md",
        r#"+++
title = "办事事项"
description = "每个事项一页，一看就懂。"
reviewed = 2026-01-01

[translation]
source_hash = "v2-bf149e12c789f497"
+++

每一页介绍一个事项：适用对象、所需材料和办理地点。
"#,
    ),
    (
        "content/services/register.md",
        r#"+++
title = "Register your address"
description = "Tell the police where you live within 24 hours of arriving."
weight = 1
reviewed = 2026-01-01

[[sources]]
title = "Example source: replace with the official page you used"
url = "https://example.org/source"
+++

## What to bring {#bring}

- Your passport
- Your rental contract

Back to [all services](@/services/_index.md).
"#,
    ),
    (
        "content/services/register.zh.md",
        r#"+++
title = "办理住址登记"
description = "抵达后24小时内向公安机关申报住址。"
weight = 1
reviewed = 2026-01-01

[[sources]]
title = "示例来源：请换成你参考的官方页面"
url = "https://example.org/source"

[translation]
source_hash = "v2-bb004e7e3b49812d"
+++

## 需要携带的材料 {#bring}

- 护照
- 租房合同

返回[全部事项](@/services/_index.md)。
"#,
    ),
];

/// Writes the starter site into `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<(), Failure> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Failure::Usage(format!(
                "{} already exists and is not empty\n  help: choose a new folder name",
                dir.display()
            )));
        }
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_failure(parent, &e))?;
        }
        std::fs::write(&target, text).map_err(|e| io_failure(&target, &e))?;
    }
    Ok(())
}

fn io_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::Usage(format!("cannot write {}: {}", path.display(), crate::fsutil::io_reason(e)))
}
