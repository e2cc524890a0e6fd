"""`tilmash models …`: list, install and register machine-translation models."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tilmash import exit_codes


def _packages_dir(args: argparse.Namespace) -> Path | None:
    value = args.packages_dir or os.environ.get("ARGOS_PACKAGES_DIR")
    return Path(value) if value else None


def cmd_list(args: argparse.Namespace) -> int:
    from tilmash.translate.ct2_multilingual import ModelError, load_registry
    from tilmash.translate.packages import PackageIndexError, available_packages, list_packages
    from tilmash.translate.registry import registry_path

    packages = list_packages(_packages_dir(args))
    print(
        "Argos packages:"
        if packages
        else "No Argos packages installed (tilmash models install FILE.argosmodel)."
    )
    for info in packages:
        print(f"  {info.from_code}→{info.to_code}\t{info.version or '-'}\t{info.path}")
    try:
        models = load_registry(registry_path())
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_codes.FAILED
    if models:
        print("Multilingual CTranslate2 models:")
    for model in models:
        languages = ", ".join(f"{locale}={token}" for locale, token in model.languages.items())
        print(f"  {model.name}\t{languages}\t{model.path}")
    if args.available:
        try:
            available = available_packages()
        except PackageIndexError as error:
            print(f"note: {error}")
            return exit_codes.OK
        print("Available from the Argos index:")
        for candidate in sorted(available, key=lambda p: (p.from_code, p.to_code)):
            print(f"  {candidate.from_code}→{candidate.to_code}\t{candidate.package_version}")
    return exit_codes.OK


def cmd_install(args: argparse.Namespace) -> int:
    """Install .argosmodel files offline, or language codes (en→code) from the online index."""
    from tilmash.translate.packages import (
        PackageFileError,
        PackageIndexError,
        install_from_index,
        install_package_file,
    )

    status = exit_codes.OK
    for item in args.items:
        path = Path(item)
        try:
            if path.suffix == ".argosmodel" or path.exists():
                if not path.is_file():
                    raise PackageFileError(f"{path}: no such file")
                metadata = install_package_file(path)
                pair = f"{metadata.get('from_code')}→{metadata.get('to_code')}"
                installed = f"{pair} {metadata.get('package_version', '')}"
            else:
                installed = install_from_index(args.source, item)
        except (PackageFileError, PackageIndexError) as error:
            print(f"error: {error}", file=sys.stderr)
            status = exit_codes.FAILED
            continue
        print(f"installed {installed}".rstrip())
    return status


def _languages(text: str) -> dict[str, str]:
    pairs = [part.split("=", 1) for part in text.split(",") if part.strip()]
    if not pairs or any(len(pair) != 2 or not all(s.strip() for s in pair) for pair in pairs):
        raise argparse.ArgumentTypeError(
            "use LOCALE=TOKEN pairs separated by commas, e.g. kk=kaz_Cyrl,ru=rus_Cyrl"
        )
    return {locale.strip(): token.strip() for locale, token in pairs}


def cmd_add_ct2(args: argparse.Namespace) -> int:
    from tilmash.translate.ct2_multilingual import ModelError, inspect_model, register_model
    from tilmash.translate.registry import registry_path

    try:
        model = inspect_model(
            Path(args.dir),
            args.langs,
            args.source_token,
            Path(args.sp) if args.sp else None,
            args.name or "",
            args.model_version,
        )
        register_model(registry_path(), model)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_codes.FAILED
    print(
        f"registered {model.name} for {', '.join(model.languages)} "
        f"(engine name in tilmash.toml: ct2:{model.name})"
    )
    return exit_codes.OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="machine-translation models").add_subparsers(
        dest="models_command", required=True
    )
    listing = models.add_parser("list", help="installed Argos packages and registered CTranslate2 models")
    listing.add_argument("--packages-dir", help="default: ARGOS_PACKAGES_DIR or argostranslate's own")
    listing.add_argument(
        "--available", action="store_true", help="also list the online Argos index (needs network)"
    )
    listing.set_defaults(handler=cmd_list)
    install = models.add_parser(
        "install", help="install .argosmodel files (offline) or target languages from the Argos index"
    )
    install.add_argument("items", nargs="+", metavar="FILE_OR_LANGUAGE")
    install.add_argument("--source", default="en", help="source language for index installs (default: en)")
    install.set_defaults(handler=cmd_install)
    add_ct2 = models.add_parser(
        "add-ct2", help="register a multilingual CTranslate2 model (NLLB-200 / M2M-100 style)"
    )
    add_ct2.add_argument("dir", help="the CTranslate2 model directory")
    add_ct2.add_argument(
        "--langs",
        required=True,
        type=_languages,
        help="LOCALE=TOKEN,… e.g. kk=kaz_Cyrl,ru=rus_Cyrl,zh=zho_Hans",
    )
    add_ct2.add_argument(
        "--source-token",
        default="eng_Latn",
        help="token marking English input (default: eng_Latn; '' for none)",
    )
    add_ct2.add_argument("--sp", help="SentencePiece model (default: the one *.model file in DIR)")
    add_ct2.add_argument("--name", help="registry name (default: the directory name)")
    add_ct2.add_argument(
        "--model-version", default="", help="version written into machine-translation comments"
    )
    add_ct2.set_defaults(handler=cmd_add_ct2)
