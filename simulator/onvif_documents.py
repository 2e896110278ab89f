"""ONVIF metadata documents as cameras send them: the seed's vendor topic and the standard one."""

from __future__ import annotations

NAMESPACES = (
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics"'
)
SEED_PLATE = "43 거 6510"
SEED_PICTURE = "/LPR/2018051506193401.jpg"


def seed_event(
    plate: str = SEED_PLATE,
    *,
    picture: str = SEED_PICTURE,
    speed: str = "25km/h",
    direction: str = "1",
    time: str = "2018-05-15T06:19:34Z",
    operation: str = "Changed",
) -> str:
    """The seed's example event (tns1:RuleEngine/LicensePlateDetector/LicensePlate)."""
    return f"""
<tt:Event>
 <wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
   >tns1:RuleEngine/LicensePlateDetector/LicensePlate</wsnt:Topic>
  <wsnt:Message>
   <tt:Message UtcTime="{time}" PropertyOperation="{operation}">
    <tt:Source>
     <tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VideoSourceToken"/>
     <tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="VideoAnalyticsToken"/>
     <tt:SimpleItem Name="Rule" Value="MyLicensePlateDetectorRule"/>
    </tt:Source>
    <tt:Key>
     <tt:SimpleItem Name="LicensePlateResult" Value="{plate}"/>
    </tt:Key>
    <tt:Data>
     <tt:SimpleItem Name="LicensePlatePicturePath" Value="{picture}"/>
     <tt:SimpleItem Name="LicenseCarSpeed" Value="{speed}"/>
     <tt:SimpleItem Name="LicenseCarDirection" Value="{direction}"/>
    </tt:Data>
   </tt:Message>
  </wsnt:Message>
 </wsnt:NotificationMessage>
</tt:Event>"""


def standard_event(
    plate: str,
    *,
    data: str = "",
    time: str = "2024-03-01T10:20:30.250Z",
    operation: str = "Changed",
) -> str:
    """ONVIF's tns1:RuleEngine/Recognition/LicensePlate; `data` adds simple items."""
    return f"""
<tt:Event>
 <wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
   >tns1:RuleEngine/Recognition/LicensePlate</wsnt:Topic>
  <wsnt:Message>
   <tt:Message UtcTime="{time}" PropertyOperation="{operation}">
    <tt:Source>
     <tt:SimpleItem Name="VideoSource" Value="1"/>
     <tt:SimpleItem Name="Rule" Value="LPR-Detector_1"/>
    </tt:Source>
    <tt:Data>
     <tt:SimpleItem Name="Likelihood" Value="0.92"/>
     {data}
     <tt:ElementItem Name="LicensePlateInfo">
      <tt:LicensePlateInfo>
       <tt:PlateNumber Likelihood="0.92">{plate}</tt:PlateNumber>
       <tt:PlateType>Normal</tt:PlateType>
       <tt:CountryCode>DE</tt:CountryCode>
      </tt:LicensePlateInfo>
     </tt:ElementItem>
    </tt:Data>
   </tt:Message>
  </wsnt:Message>
 </wsnt:NotificationMessage>
</tt:Event>"""


def metadata_stream(*events: str, root: str = "MetaDataStream") -> bytes:
    """A document holding the events (the seed spells the root MetaDataStream)."""
    body = "".join(events)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<tt:{root} {NAMESPACES}>{body}</tt:{root}>'
    ).encode()
