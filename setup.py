"""uni.servicedesk: a university single window of services for Plone 6.2."""
from pathlib import Path
from setuptools import find_namespace_packages
from setuptools import setup

long_description = "\n\n".join(
    Path(name).read_text(encoding="utf-8") for name in ("README.rst", "CHANGES.rst")
)

setup(
    name="uni.servicedesk",
    version="1.0.0.dev0",
    description="University single window of services (service catalog, requests, tracking) for Plone",
    long_description=long_description,
    long_description_content_type="text/x-rst",
    classifiers=[
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
    license="GPL-2.0-only",
    packages=find_namespace_packages("src", include=["uni.*"]),
    package_dir={"": "src"},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.10",
    install_requires=[
        "Products.CMFPlone",
        "plone.api",
        "plone.app.dexterity",
        "plone.app.contenttypes",
        "plone.app.versioningbehavior",
        "plone.distribution",
        "plone.restapi",
        "collective.easyform",
        # Settings kept as rows are edited as grids in the control panels.
        "collective.z3cform.datagridfield",
        # JSON registry fields of those settings and their JSON schema (both in Plone's set).
        "plone.schema",
        "jsonschema",
        # Jalali calendar and Persian/Arabic digit conversion (see README, "Dependencies").
        "persiantools",
        # Verhoeff check digit of tracking codes.
        "python-stdnum",
        # .ics files of appointments (already in Plone's set through plone.app.event).
        "icalendar",
        # Iran's official holidays, lunar ones included (see README, "Dependencies").
        "holidays",
        # Uploads checked by their content, not only their name (pure Python).
        "puremagic",
        # Two patches with a description each in security/configure.zcml (in Plone's set).
        "collective.monkeypatcher",
    ],
    extras_require={
        "test": [
            "plone.app.testing",
            "plone.testing",
            "pytest",
            "pytest-plone",
            "zope.testbrowser",
            "collective.MockMailHost",
            # A real SMTP server on 127.0.0.1 for the notification tests.
            "aiosmtpd",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
    },
)
